# make install PREFIX=... (and DESTDIR): the installed binary renders from
# any folder with the data it finds under PREFIX; BULLETIN_DATA overrides;
# no data is a message saying where it looked; the man pages format; the
# bash completion loads and completes; make uninstall takes it all away.
# The binary under test is installed as it is (BIN=): nothing is rebuilt.
. "$(dirname "$0")/lib.sh"
P=$T/p
ISSUE=$ROOT/issues/2022-08/issue.md
inst() { make -s -C "$ROOT" BIN="$BULLETIN" "$@" > "$T/make.log" 2>&1; }

check "make install PREFIX" inst install PREFIX="$P"
for f in bin/bulletin share/bulletin/layouts/epoint.yaml share/bulletin/layouts/print.yaml \
	share/bulletin/layouts/default.yaml share/bulletin/layouts/epoint-mark.svg \
	share/bulletin/fonts/fonts.conf share/man/man1/bulletin.1 \
	share/man/man1/bulletin-render.1 share/bash-completion/completions/bulletin \
	share/zsh/site-functions/_bulletin; do
	check "installed: $f" test -e "$P/$f"
done
for c in render watch check query diff volume init fonts layouts serve; do
	check "a man page for $c" test -s "$P/share/man/man1/bulletin-$c.1"
done
check "installed binary is executable" test -x "$P/bin/bulletin"

# from a folder that has no data, without BULLETIN_DATA
mkdir -p "$T/elsewhere/issue"
cp "$ISSUE" "$T/elsewhere/issue/issue.md"
cp -r "$ROOT/issues/2022-08/." "$T/elsewhere/issue/" 2> /dev/null
(cd "$T/elsewhere" && env -u BULLETIN_DATA "$P/bin/bulletin" render issue/issue.md -o out.pdf) 2> "$T/err"
check "render from another folder: exit 0" test "$?" = 0
check "render from another folder: a PDF" sh -c "head -c 5 '$T/elsewhere/out.pdf' | grep -q '%PDF-'"
"$BULLETIN" render "$T/elsewhere/issue/issue.md" -o "$T/tree.pdf" 2> /dev/null
check "the installed data gives the same PDF as the source tree" cmp -s "$T/tree.pdf" "$T/elsewhere/out.pdf"
check "the installed layouts: --layout print" sh -c "cd '$T/elsewhere' && env -u BULLETIN_DATA '$P/bin/bulletin' render issue/issue.md --layout print -o print.pdf 2> /dev/null"

# BULLETIN_DATA still overrides: a folder without data is an error naming it
BULLETIN_DATA=$T/nodata "$P/bin/bulletin" render "$T/elsewhere/issue/issue.md" -o "$T/x.pdf" 2> "$T/err"
check "BULLETIN_DATA without data: exit 1" test "$?" = 1
check "BULLETIN_DATA without data: says where it looked" grep -q "^  $T/nodata (BULLETIN_DATA)$" "$T/err"
BULLETIN_DATA=$ROOT "$P/bin/bulletin" render "$T/elsewhere/issue/issue.md" -o "$T/x.pdf" 2> "$T/err"
check "BULLETIN_DATA: the source tree's data" test -s "$T/x.pdf"

# no data at all: where it looked, not fontconfig's "Cannot load config file"
mv "$P/share/bulletin" "$T/moved"
env -u BULLETIN_DATA "$P/bin/bulletin" render "$T/elsewhere/issue/issue.md" -o "$T/y.pdf" 2> "$T/err"
check "no data: exit 1" test "$?" = 1
check "no data: the message" grep -q "^bulletin: error: no data folder (one with layouts/ and fonts/fonts.conf); looked in:$" "$T/err"
check "no data: it looked in PREFIX/share/bulletin" grep -qF "$P/share/bulletin (above the program)" "$T/err"
check "no data: not fontconfig's message" sh -c "! grep -q 'Cannot load' '$T/err'"
check "no data: no output" test ! -e "$T/y.pdf"
mv "$T/moved" "$P/share/bulletin"

# man pages: man -l formats each without a warning
if command -v man > /dev/null; then
	for f in "$P"/share/man/man1/*.1; do
		MANWIDTH=80 man -l "$f" > "$T/man.txt" 2> "$T/man.err"
		check "man -l $(basename "$f")" sh -c "grep -q '^NAME' '$T/man.txt' && ! test -s '$T/man.err'"
	done
fi
check "man pages: groff finds no problem" sh -c "groff -man -Tutf8 -ww -z '$P'/share/man/man1/*.1 2>&1 | { ! grep -q .; }"

# bash completion: loads, completes commands, options and layout names
check "bash: the completion loads" sh -c "bash -c '. \"$P/share/bash-completion/completions/bulletin\"; complete -p bulletin' | grep -q '_bulletin bulletin$'"
check "bash: 're' completes to render" sh -c "cd '$T' && PATH='$P/bin':\$PATH bash -c '. \"$P/share/bash-completion/completions/bulletin\"; COMP_WORDS=(bulletin re); COMP_CWORD=1; _bulletin; echo \${COMPREPLY[*]}' | grep -qx render"
check "bash: render --c completes --cmyk and --compare" sh -c "cd '$T' && PATH='$P/bin':\$PATH bash -c '. \"$P/share/bash-completion/completions/bulletin\"; COMP_WORDS=(bulletin render --c); COMP_CWORD=2; _bulletin; echo \${COMPREPLY[*]}' | grep -qx -- '--cmyk --compare'"
check "bash: render's options are the binary's (-j, --jobs)" sh -c "cd '$T' && PATH='$P/bin':\$PATH bash -c '. \"$P/share/bash-completion/completions/bulletin\"; COMP_WORDS=(bulletin render --j); COMP_CWORD=2; _bulletin; echo \${COMPREPLY[*]}' | grep -qx -- '--jobs'"
check "bash: watch offers no --jobs" sh -c "cd '$T' && PATH='$P/bin':\$PATH bash -c '. \"$P/share/bash-completion/completions/bulletin\"; COMP_WORDS=(bulletin watch --j); COMP_CWORD=2; _bulletin; echo \${COMPREPLY[*]}' | grep -qvx -- '--jobs'"
check "bash: --layout lists the installed layouts" sh -c "cd '$T' && PATH='$P/bin':\$PATH bash -c '. \"$P/share/bash-completion/completions/bulletin\"; COMP_WORDS=(bulletin render --layout p); COMP_CWORD=3; _bulletin; echo \${COMPREPLY[*]}' | grep -qw print"
if command -v zsh > /dev/null; then
	check "zsh: the completion parses" zsh -n "$P/share/zsh/site-functions/_bulletin"
fi

# DESTDIR stages the install; the staged binary finds its staged data
check "make install DESTDIR" inst install DESTDIR="$T/stage" PREFIX=/usr
check "DESTDIR: under the stage" test -x "$T/stage/usr/bin/bulletin" -a -e "$T/stage/usr/share/bulletin/fonts/fonts.conf"
(cd "$T/elsewhere" && env -u BULLETIN_DATA "$T/stage/usr/bin/bulletin" render issue/issue.md -o staged.pdf 2> /dev/null)
check "DESTDIR: the staged binary renders" cmp -s "$T/tree.pdf" "$T/elsewhere/staged.pdf"

check "make uninstall" inst uninstall PREFIX="$P"
check "uninstall: the binary, data, pages and completions are gone" \
	sh -c "! test -e '$P/bin/bulletin' && ! test -e '$P/share/bulletin' && ! ls '$P'/share/man/man1/bulletin* > /dev/null 2>&1 && ! test -e '$P/share/bash-completion/completions/bulletin'"
finish
