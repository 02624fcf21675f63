# Idempotent installers shared by scripts/test and the examples.
# Each skips what is already present, so a warm machine installs nothing.

_apt_updated=0
_apt_install() {
  if [ "$_apt_updated" = 0 ]; then
    apt-get update -qq >/dev/null
    _apt_updated=1
  fi
  # Packages with services (nginx, apache2, haproxy, etcd) must not start
  # them: tests start their own on loopback ports.
  local policy=/usr/sbin/policy-rc.d created=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  if [ "$created" = 1 ]; then rm -f "$policy"; fi
}

# ensure_apt COMMAND:PACKAGE... installs PACKAGE when COMMAND is not on PATH.
ensure_apt() {
  local missing=() spec
  for spec in "$@"; do
    command -v "${spec%%:*}" >/dev/null 2>&1 || missing+=("${spec#*:}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "apt-get install ${missing[*]}"
    _apt_install "${missing[@]}"
  fi
}

# ensure_rust_components COMPONENT... (rustfmt, clippy) via rustup.
ensure_rust_components() {
  local c
  for c in "$@"; do
    case "$c" in
      rustfmt) cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt ;;
      clippy) cargo clippy --version >/dev/null 2>&1 || rustup component add clippy ;;
    esac
  done
}

# ensure_file PATH:PACKAGE... installs PACKAGE when PATH does not exist (for
# packages that ship libraries, not commands).
ensure_file() {
  local missing=() spec
  for spec in "$@"; do
    [ -e "${spec%%:*}" ] || missing+=("${spec#*:}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "apt-get install ${missing[*]}"
    _apt_install "${missing[@]}"
  fi
}

# ensure_cargo_install COMMAND:CRATE@VERSION[:FEATURES]... (pinned, --locked;
# with FEATURES, only those: a tool's other subcommands cost build time).
ensure_cargo_install() {
  local spec cmd crate features
  for spec in "$@"; do
    IFS=: read -r cmd crate features <<<"$spec"
    if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/$cmd" ]; then
      echo "cargo install $crate${features:+ (features $features)}"
      cargo install --locked --quiet ${features:+--no-default-features --features "$features"} "$crate"
    fi
  done
  case ":$PATH:" in *":$HOME/.cargo/bin:"*) ;; *) export PATH="$HOME/.cargo/bin:$PATH" ;; esac
}

# ensure_pip COMMAND:REQUIREMENT... (pip install when COMMAND is missing).
ensure_pip() {
  local spec
  for spec in "$@"; do
    command -v "${spec%%:*}" >/dev/null 2>&1 || {
      echo "pip install ${spec#*:}"
      python3 -m pip install --quiet --disable-pip-version-check "${spec#*:}"
    }
  done
}

# ensure_pip_module MODULE:SPEC... — pip-installs SPEC unless python3 can
# import MODULE.
ensure_pip_module() {
  local spec
  for spec in "$@"; do
    python3 -c "import ${spec%%:*}" >/dev/null 2>&1 || {
      echo "pip install ${spec#*:}"
      python3 -m pip install --quiet --disable-pip-version-check "${spec#*:}"
    }
  done
}

# tool_paths command|file|module SPEC... prints where each of the specs
# above (COMMAND:…, PATH:…, MODULE:…) is on this machine, if it is, for
# scripts/lib/hidden.
tool_paths() {
  local kind=$1 spec name path
  shift
  for spec in "$@"; do
    name=${spec%%:*}
    case "$kind" in
      command)
        path=$(command -v "$name" 2>/dev/null) || continue
        case "$path" in /*) echo "$path" ;; esac
        # A cargo-installed tool outside PATH still counts.
        [ -x "$HOME/.cargo/bin/$name" ] && [ "$path" != "$HOME/.cargo/bin/$name" ] && echo "$HOME/.cargo/bin/$name"
        ;;
      file) [ -e "$name" ] && echo "$name" ;;
      module)
        python3 - "$name" <<'PY' 2>/dev/null || true
import importlib.util, sys
spec = importlib.util.find_spec(sys.argv[1].split(".")[0])
if spec is not None:
    print(spec.submodule_search_locations[0] if spec.submodule_search_locations else spec.origin)
PY
        ;;
    esac
  done
  return 0
}
