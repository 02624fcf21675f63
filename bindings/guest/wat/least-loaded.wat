;; A placement plugin as a bare core module, for tests and as the cheapest
;; possible guest: it keeps every candidate and scores fewer units higher
;; (fleet's least-loaded rule). `wit-component` (or `wasm-tools component
;; embed` + `component new`) wraps it into a component for the
;; `placement-plugin` world.
;;
;; Canonical ABI, as used here: `filter` and `score` take more than 16 flat
;; parameters, so they receive a pointer to (unit, siblings, candidates); the
;; unit record is 80 bytes, then siblings (machines ptr/len, counts ptr/len)
;; at +80 and candidates (machines ptr/len, loads ptr/len) at +96. Results go through a 12-byte return area at 16:
;; discriminant, then (ptr, len). Memory is a bump heap from 4096, reset after
;; every call by the post-return hooks.
(module
  (import "flotta:placement/host@0.1.0" "log" (func $log (param i32 i32 i32)))
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (data (i32.const 512) "nope")

  (func $alloc (param $align i32) (param $size i32) (result i32)
    (local $p i32) (local $end i32) (local $pages i32)
    ;; align up
    (local.set $p
      (i32.and
        (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
    (local.set $end (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
      (then
        (local.set $pages
          (i32.sub
            (i32.shr_u (i32.add (local.get $end) (i32.const 65535)) (i32.const 16))
            (memory.size)))
        (if (i32.eq (memory.grow (local.get $pages)) (i32.const -1))
          (then unreachable))))
    (global.set $heap (local.get $end))
    (local.get $p))

  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32) (result i32)
    (local $p i32)
    (local.set $p (call $alloc (local.get $align) (local.get $new_size)))
    (if (local.get $old_size)
      (then (memory.copy (local.get $p) (local.get $old) (local.get $old_size))))
    (local.get $p))

  ;; result<_, string> = ok
  (func (export "flotta:placement/plugin@0.1.0#init") (param i32 i32) (result i32)
    (i32.store8 (i32.const 16) (i32.const 0))
    (i32.const 16))

  (func (export "flotta:placement/plugin@0.1.0#on-machines") (param i32 i32) (result i32)
    (i32.store8 (i32.const 16) (i32.const 0))
    (i32.const 16))

  (func (export "flotta:placement/plugin@0.1.0#filter") (param $args i32) (result i32)
    ;; FILTER
    ;; ok, no rejections
    (i32.store8 (i32.const 16) (i32.const 0))
    (i32.store (i32.const 20) (i32.const 0))
    (i32.store (i32.const 24) (i32.const 0))
    (i32.const 16))

  (func (export "flotta:placement/plugin@0.1.0#score") (param $args i32) (result i32)
    (local $cands i32) (local $n i32) (local $out i32) (local $i i32)
    ;; SCORE
    ;; the candidates' loads
    (local.set $cands (i32.load (i32.add (local.get $args) (i32.const 104))))
    (local.set $n (i32.load (i32.add (local.get $args) (i32.const 108))))
    (local.set $out (call $alloc (i32.const 8) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        ;; score = -load
        (f64.store
          (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
          (f64.neg (f64.convert_i32_u
            (i32.load (i32.add (local.get $cands) (i32.shl (local.get $i) (i32.const 2)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.store8 (i32.const 16) (i32.const 0))
    (i32.store (i32.const 20) (local.get $out))
    (i32.store (i32.const 24) (local.get $n))
    (i32.const 16))

  (func $reset (param i32) (global.set $heap (i32.const 4096)))
  (export "cabi_post_flotta:placement/plugin@0.1.0#init" (func $reset))
  (export "cabi_post_flotta:placement/plugin@0.1.0#on-machines" (func $reset))
  (export "cabi_post_flotta:placement/plugin@0.1.0#filter" (func $reset))
  (export "cabi_post_flotta:placement/plugin@0.1.0#score" (func $reset))
)
