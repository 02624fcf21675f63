# Idempotent installers shared by scripts/test and the examples.
# Each skips what is already present, so a warm machine installs nothing.

_apt_updated=0
_apt_install() {
  if [ "$_apt_updated" = 0 ]; then
    apt-get update -qq >/dev/null
    _apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
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
