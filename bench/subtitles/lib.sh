# Shell functions the subtitle bench scripts share (sourced, not run).

# The arguments as one shell-quoted string, for the command line a results file records; the value
# of --token is a credential and is written as <token>.
recorded_args() {
  local out="" prev=""
  for a in "$@"; do
    if [[ "$prev" == --token ]]; then out+="<token> "; else out+="$(printf '%q ' "$a")"; fi
    prev="$a"
  done
  printf '%s' "${out% }"
}

now() { date +%s.%N; }

# CPU_NOW = user + system seconds of the calling shell's finished children so far (bash's `times`,
# which must run in that shell: a subshell would start from zero). Writes "$OUT/.times".
children_cpu() {
  times > "$OUT/.times"
  CPU_NOW=$(awk 'NR == 2 { s = 0; for (i = 1; i <= NF; i++) { split($i, p, "m"); s += p[1] * 60 + p[2] } printf "%.3f\n", s }' "$OUT/.times")
}

# User + system seconds of process $1 (all its threads), -1 when there is none.
process_cpu() {
  [[ -n "$1" && -r "/proc/$1/stat" ]] || { echo -1; return; }
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.3f\n", ($12 + $13) / hz }' "/proc/$1/stat"
}
