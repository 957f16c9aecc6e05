# Sourced by the other scripts: shared settings and messages.
# Rasa would otherwise send usage telemetry over the network; Pacewise never does.
export RASA_TELEMETRY_ENABLED=false
# Keep TensorFlow's start-up chatter out of the way.
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
export PYTHONWARNINGS=${PYTHONWARNINGS:-ignore::DeprecationWarning}

say() { printf '\033[1;34m[pacewise]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[pacewise] %s\033[0m\n' "$*" >&2; exit 1; }
