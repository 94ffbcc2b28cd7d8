# bash completion for bulletin: commands, each command's options, issues
# (*.md), PDFs for diff, layout names from the data folder for --layout.
_bulletin_layouts()
{
	local data=${BULLETIN_DATA:-}
	if [[ -z $data ]]; then
		local exe
		exe=$(command -v "${COMP_WORDS[0]}" 2> /dev/null) || return
		exe=$(readlink -f "$exe")
		data=${exe%/*}/../share/bulletin
		[[ -d $data/layouts ]] || data=${exe%/*}/..
	fi
	local f
	for f in "$data"/layouts/*.yaml; do
		[[ -e $f ]] || continue
		f=${f##*/}
		printf '%s\n' "${f%.yaml}"
	done
}

# The commands and each command's options come from the binary itself
# (`bulletin complete [COMMAND]`), so they are the ones it takes; only the
# values of some options are known here.
_bulletin()
{
	local cur prev cmd bin
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	bin=${COMP_WORDS[0]}
	if ((COMP_CWORD == 1)); then
		COMPREPLY=($(compgen -W "$("$bin" complete 2> /dev/null) --help --version" -- "$cur"))
		return
	fi
	cmd=${COMP_WORDS[1]}
	case $prev in
	--layout)
		COMPREPLY=($(compgen -W "$(_bulletin_layouts)" -- "$cur"))
		COMPREPLY+=($(compgen -f -X '!*.y*ml' -- "$cur") $(compgen -d -- "$cur"))
		return ;;
	--format) COMPREPLY=($(compgen -W "pdf png" -- "$cur")); return ;;
	--impose) COMPREPLY=($(compgen -W "saddle-stitch" -- "$cur")); return ;;
	--pdf-standard)
		COMPREPLY=($(compgen -W "a-2b a-2u a-3b ua-1 x-4 a-2u,ua-1 x-4,ua-1" -- "$cur"))
		return ;;
	--out-dir | --font-path | --dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	-o | --output | --deps | --dump | --dump-lines | --dump-model | --compare | --from)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--ppi | --pages | --count | --bleed | -j | --jobs | --port) return ;;
	esac
	if [[ $cur == -* ]]; then
		local opts
		opts=$("$bin" complete "$cmd" 2> /dev/null | sed 's/=$//' | sort)
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	elif [[ $cmd == diff ]]; then
		COMPREPLY=($(compgen -f -X '!*.pdf' -- "$cur") $(compgen -d -- "$cur"))
	else
		COMPREPLY=($(compgen -f -X '!*.md' -- "$cur") $(compgen -d -- "$cur"))
	fi
}
complete -o filenames -F _bulletin bulletin
