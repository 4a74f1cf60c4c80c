# bash completion for synack(1): commands, each command's options (read
# from its --help), config keys after --set (from `synack keys --names`),
# model names after --set ...loss= / delay= / protocol=, and files.
# Installed as $(datadir)/bash-completion/completions/synack; to try it
# from a build tree: source tools/synack.bash
# SPDX-License-Identifier: GPL-3.0-or-later

_synack_models ()
{
  # "loss bernoulli - ..." lines of `synack models`, for one kind
  "$1" models 2>/dev/null | awk -v kind="$2" '$1 == kind && $3 == "-" { print $2 }'
}

_synack ()
{
  local cur prev words cword
  if declare -F _init_completion >/dev/null 2>&1; then
    _init_completion -n = || return
  else
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  fi
  local prog=${words[0]} cmd=${words[1]}

  if [ "$cword" -eq 1 ]; then
    COMPREPLY=($(compgen -W "run check keys models plot ladder merge compare help --help --version" -- "$cur"))
    return
  fi
  if [ "$cmd" = help ] && [ "$cword" -eq 2 ]; then
    COMPREPLY=($(compgen -W "run check keys models plot ladder merge compare" -- "$cur"))
    return
  fi
  case $prev in
    --set)
      case $cur in
        *.loss=*|*.delay=*|*.protocol=*)
          local key=${cur%%=*} kind=${cur%%=*}
          kind=${kind##*.}
          COMPREPLY=($(compgen -P "$key=" -W "$(_synack_models "$prog" "$kind")" -- "${cur#*=}"))
          ;;
        *=*) ;;
        *)
          COMPREPLY=($(compgen -S = -W "$("$prog" keys --names 2>/dev/null) \
            $("$prog" keys --names 2>/dev/null | sed 's/^/sweep./')" -- "$cur"))
          compopt -o nospace 2>/dev/null
          ;;
      esac
      return
      ;;
    --format)
      COMPREPLY=($(compgen -W "png svg pdf" -- "$cur"))
      return
      ;;
    --shard)
      COMPREPLY=($(compgen -W "auto" -- "$cur"))
      return
      ;;
    --a|--b)
      return
      ;;
    -o|--output|--resume)
      COMPREPLY=($(compgen -d -- "$cur"))
      compopt -o filenames 2>/dev/null
      return
      ;;
    --only)
      COMPREPLY=($(compgen -W "latency failures cdf ccdf occupancy teardown counts" -- "$cur"))
      return
      ;;
    -j|--jobs|--seed|--point|--replication|--conn)
      return
      ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$("$prog" "$cmd" --help 2>/dev/null |
      sed -n 's/^ *\(-[a-zA-Z], \)\{0,1\}\(--[a-z-]*\).*/\2/p')" -- "$cur"))
    return
  fi
  case $cmd in
    run|check) COMPREPLY=($(compgen -f -X '!*.ini' -- "$cur") $(compgen -d -- "$cur")) ;;
    ladder) COMPREPLY=($(compgen -f -X '!*.csv' -- "$cur") $(compgen -d -- "$cur")) ;;
    plot|merge|compare) COMPREPLY=($(compgen -d -- "$cur")) ;;
  esac
  compopt -o filenames 2>/dev/null
}
complete -F _synack synack
