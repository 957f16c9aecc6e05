# Sourced by the other scripts: shared settings and messages.
# Rasa would otherwise send usage telemetry over the network; Pacewise never does.
export RASA_TELEMETRY_ENABLED=false
# Keep TensorFlow's start-up chatter out of the way.
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
export PYTHONWARNINGS=${PYTHONWARNINGS:-ignore::DeprecationWarning}

say() { printf '\033[1;34m[pacewise]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[pacewise] %s\033[0m\n' "$*" >&2; exit 1; }

# apt_install PACKAGE WHAT: install a Debian package the tests need (as root), or say how.
apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "Installing $1 from Debian's packages for $2"
    { apt-get install -y -q "$1" || { apt-get update -q && apt-get install -y -q "$1"; }; } >/dev/null 2>&1 ||
      die "Could not install $1 (apt-get install $1)."
  else
    die "$2 need $1: sudo apt-get install $1"
  fi
}
