// The SDK's example placement plugin in C: spread instances of a template
// across the values of a metadata key (config `key`, default `rack`) and turn
// away machines tagged `drain=true`.
//
// Build: see build.sh (wit-bindgen c, clang --target=wasm32-wasi, wasm-tools
// component new). The generated bindings own argument memory: we free what we
// are given and malloc what we return (the post-return hook frees it).

#include <stdlib.h>
#include <string.h>

#include "placement_plugin.h"

typedef placement_plugin_string_t str_t;

static char key[256] = "rack";
static size_t key_len = 4;

// Per machine: an id for its value of `key`, and whether it is draining.
static uint32_t *value_of = NULL;
static uint8_t *draining = NULL;
static size_t machine_count = 0;
// Distinct values seen this round, and a counter per value.
static str_t *values = NULL;
static size_t value_count = 0;
static uint32_t *per_value = NULL;

static bool str_eq(const str_t *s, const char *c, size_t n) {
  return s->len == n && memcmp(s->ptr, c, n) == 0;
}

static void set_error(str_t *err, const char *msg) {
  size_t n = strlen(msg);
  err->ptr = malloc(n);
  memcpy(err->ptr, msg, n);
  err->len = n;
}

static uint32_t intern(const str_t *v) {
  for (size_t i = 0; i < value_count; i++) {
    if (values[i].len == v->len && memcmp(values[i].ptr, v->ptr, v->len) == 0) {
      return (uint32_t)i;
    }
  }
  values[value_count].ptr = malloc(v->len ? v->len : 1);
  memcpy(values[value_count].ptr, v->ptr, v->len);
  values[value_count].len = v->len;
  return (uint32_t)value_count++;
}

bool exports_flotta_placement_plugin_init(placement_plugin_list_tuple2_string_string_t *config,
                                          str_t *err) {
  bool ok = true;
  for (size_t i = 0; i < config->len; i++) {
    placement_plugin_tuple2_string_string_t *kv = &config->ptr[i];
    if (str_eq(&kv->f0, "key", 3)) {
      if (kv->f1.len == 0 || kv->f1.len >= sizeof key) {
        set_error(err, "key must be 1 to 255 bytes");
        ok = false;
        break;
      }
      memcpy(key, kv->f1.ptr, kv->f1.len);
      key_len = kv->f1.len;
    } else {
      set_error(err, "unknown config key (expected `key`)");
      ok = false;
      break;
    }
  }
  placement_plugin_list_tuple2_string_string_free(config);
  return ok;
}

bool exports_flotta_placement_plugin_on_machines(
    exports_flotta_placement_plugin_list_machine_t *machines, str_t *err) {
  (void)err;
  for (size_t i = 0; i < value_count; i++) free(values[i].ptr);
  free(values);
  free(value_of);
  free(draining);
  free(per_value);
  machine_count = machines->len;
  value_count = 0;
  // One slot per machine plus the empty value: enough for every distinct value.
  values = malloc((machine_count + 1) * sizeof *values);
  value_of = malloc((machine_count + 1) * sizeof *value_of);
  draining = malloc(machine_count + 1);
  per_value = malloc((machine_count + 1) * sizeof *per_value);
  str_t empty = {(uint8_t *)"", 0};
  for (size_t m = 0; m < machine_count; m++) {
    const placement_plugin_list_tuple2_string_string_t *md = &machines->ptr[m].metadata;
    const str_t *value = &empty;
    draining[m] = 0;
    for (size_t j = 0; j < md->len; j++) {
      if (str_eq(&md->ptr[j].f0, key, key_len)) value = &md->ptr[j].f1;
      if (str_eq(&md->ptr[j].f0, "drain", 5) && str_eq(&md->ptr[j].f1, "true", 4)) draining[m] = 1;
    }
    value_of[m] = intern(value);
  }
  exports_flotta_placement_plugin_list_machine_free(machines);
  return true;
}

typedef exports_flotta_placement_plugin_unit_t unit_t;
typedef exports_flotta_placement_plugin_siblings_t siblings_t;
typedef exports_flotta_placement_plugin_candidates_t candidates_t;

static void free_args(unit_t *unit, siblings_t *siblings, candidates_t *candidates) {
  exports_flotta_placement_plugin_unit_free(unit);
  exports_flotta_placement_plugin_siblings_free(siblings);
  exports_flotta_placement_plugin_candidates_free(candidates);
}

bool exports_flotta_placement_plugin_filter(unit_t *unit, siblings_t *siblings,
                                            candidates_t *candidates,
                                            exports_flotta_placement_plugin_list_rejection_t *ret,
                                            str_t *err) {
  static const char reason[] = "machine is draining (drain=true)";
  const uint32_t *machines = candidates->machines.ptr;
  size_t count = candidates->machines.len;
  uint32_t *rejected = malloc((count ? count : 1) * sizeof *rejected);
  size_t n = 0;
  (void)err;
  for (size_t i = 0; i < count; i++) {
    if (machines[i] < machine_count && draining[machines[i]]) rejected[n++] = (uint32_t)i;
  }
  if (n == 0) {
    free(rejected);
    ret->ptr = NULL;
    ret->len = 0;
  } else {
    // One rejection: every draining candidate, one reason.
    ret->ptr = malloc(sizeof *ret->ptr);
    ret->len = 1;
    ret->ptr[0].candidates.ptr = rejected;
    ret->ptr[0].candidates.len = n;
    ret->ptr[0].reason.len = sizeof reason - 1;
    ret->ptr[0].reason.ptr = malloc(sizeof reason - 1);
    memcpy(ret->ptr[0].reason.ptr, reason, sizeof reason - 1);
  }
  free_args(unit, siblings, candidates);
  return true;
}

bool exports_flotta_placement_plugin_score(unit_t *unit, siblings_t *siblings,
                                           candidates_t *candidates,
                                           placement_plugin_list_f64_t *ret, str_t *err) {
  const uint32_t *machines = candidates->machines.ptr;
  size_t count = candidates->machines.len;
  (void)err;
  memset(per_value, 0, (value_count ? value_count : 1) * sizeof *per_value);
  for (size_t i = 0; i < siblings->machines.len && i < siblings->counts.len; i++) {
    uint32_t m = siblings->machines.ptr[i];
    if (m < machine_count) per_value[value_of[m]] += siblings->counts.ptr[i];
  }
  ret->len = count;
  ret->ptr = malloc((count ? count : 1) * sizeof(double));
  for (size_t i = 0; i < count; i++) {
    uint32_t m = machines[i];
    ret->ptr[i] = m < machine_count ? -(double)per_value[value_of[m]] : 0.0;
  }
  free_args(unit, siblings, candidates);
  return true;
}
