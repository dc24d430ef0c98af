#!/bin/sh
# The shell's guest tests, run by the kernel's test runner as /bin/shtest:
# one "PASS guest/sh_<what>" or "FAIL guest/sh_<what>: why" line per check.
# Run as "shtest child ARG": the #! script of the sh_script_exec check.
[ "$1" = child ] && echo "script $2 $#" && exit 5
T=/tmp/shtest.$$
mkdir $T || echo "FAIL guest/sh_setup: cannot make $T"

# Pipelines: two and four stages.
echo hello | cat > $T/p; read got < $T/p
[ "$got" = hello ] && echo "PASS guest/sh_pipe" || echo "FAIL guest/sh_pipe: got '$got'"
echo a b c | cat | cat | cat > $T/p4; read got < $T/p4
[ "$got" = "a b c" ] && echo "PASS guest/sh_pipe_long" || echo "FAIL guest/sh_pipe_long: got '$got'"

# Redirections: > truncates, >> appends, < reads, 2> and 2>&1 and >&2.
echo one > $T/r; echo two > $T/r; echo three >> $T/r
read a < $T/r
[ "$a" = two ] && echo "PASS guest/sh_redir_trunc" || echo "FAIL guest/sh_redir_trunc: first line '$a'"
wc -l < $T/r > $T/lines; read lines < $T/lines
[ "$lines" -eq 2 ] && echo "PASS guest/sh_redir_append" || echo "FAIL guest/sh_redir_append: $lines lines"
nosuchcommand_xyz 2> $T/e; read e < $T/e
[ "$e" = "sh: nosuchcommand_xyz: command not found" ] && echo "PASS guest/sh_redir_stderr" || echo "FAIL guest/sh_redir_stderr: got '$e'"
sh -c 'echo out; echo err >&2' > $T/both 2>&1; wc -l < $T/both > $T/n; read n < $T/n
[ "$n" -eq 2 ] && echo "PASS guest/sh_redir_2to1" || echo "FAIL guest/sh_redir_2to1: $n lines"
echo viaerr 2> $T/e2 >&2; read e < $T/e2
[ "$e" = viaerr ] && echo "PASS guest/sh_redir_1to2" || echo "FAIL guest/sh_redir_1to2: got '$e'"
cat 2> $T/e3 < /nope/x; st=$?; read e < $T/e3
[ "$e" = "sh: /nope/x: No such file or directory" ] && [ $st -eq 1 ] && echo "PASS guest/sh_redir_error" || echo "FAIL guest/sh_redir_error: '$e' status $st"

# Exit statuses.
false; st=$?
[ $st -eq 1 ] && echo "PASS guest/sh_status_false" || echo "FAIL guest/sh_status_false: $st"
true; st=$?
[ $st -eq 0 ] && echo "PASS guest/sh_status_true" || echo "FAIL guest/sh_status_true: $st"
nosuchcommand_xyz 2>/dev/null; st=$?
[ $st -eq 127 ] && echo "PASS guest/sh_status_notfound" || echo "FAIL guest/sh_status_notfound: $st"
echo x > $T/noexec; $T/noexec 2>/dev/null; st=$?
[ $st -eq 126 ] && echo "PASS guest/sh_status_noexec" || echo "FAIL guest/sh_status_noexec: $st"
sh -c 'exit 7'; st=$?
[ $st -eq 7 ] && echo "PASS guest/sh_status_exit" || echo "FAIL guest/sh_status_exit: $st"
false | true; st=$?
[ $st -eq 0 ] && echo "PASS guest/sh_status_pipeline" || echo "FAIL guest/sh_status_pipeline: $st"

# Quoting.
x='a  b'
echo "$x" > $T/q; read got < $T/q
[ "$got" = "a  b" ] && echo "PASS guest/sh_quote_double" || echo "FAIL guest/sh_quote_double: '$got'"
echo '$x "q"' > $T/q; read got < $T/q
[ "$got" = '$x "q"' ] && echo "PASS guest/sh_quote_single" || echo "FAIL guest/sh_quote_single: '$got'"
echo \$x a\ \ b "\"" > $T/q; read got < $T/q
[ "$got" = '$x a  b "' ] && echo "PASS guest/sh_quote_backslash" || echo "FAIL guest/sh_quote_backslash: '$got'"
echo $x > $T/q; read got < $T/q
[ "$got" = "a b" ] && echo "PASS guest/sh_quote_split" || echo "FAIL guest/sh_quote_split: '$got'"

# Variables and positional parameters.
v=world; echo "hello ${v}!" > $T/v; read got < $T/v
[ "$got" = "hello world!" ] && echo "PASS guest/sh_var" || echo "FAIL guest/sh_var: '$got'"
unset v; [ -z "$v" ] && echo "PASS guest/sh_unset" || echo "FAIL guest/sh_unset: '$v'"
sh -c 'echo $1' x a > $T/pos; read got < $T/pos
[ "$got" = a ] && echo "PASS guest/sh_positional" || echo "FAIL guest/sh_positional: '$got'"
sh -c 'echo $# $0 "$2"' zero a 'b c' > $T/pos; read got < $T/pos
[ "$got" = "2 zero b c" ] && echo "PASS guest/sh_positional_count" || echo "FAIL guest/sh_positional_count: '$got'"
sh -c 'echo $$' > $T/pid; read got < $T/pid
[ "$got" -gt 1 ] && echo "PASS guest/sh_pid" || echo "FAIL guest/sh_pid: '$got'"

# && || ;
false && echo no > $T/a || echo yes > $T/a; read got < $T/a
[ "$got" = yes ] && echo "PASS guest/sh_andor" || echo "FAIL guest/sh_andor: '$got'"
true && echo one > $T/a; echo two >> $T/a; wc -l < $T/a > $T/n; read n < $T/n
[ "$n" -eq 2 ] && echo "PASS guest/sh_semicolon" || echo "FAIL guest/sh_semicolon: $n"

# Background jobs and wait.
echo bg1 > $T/bg1 & echo bg2 > $T/bg2 &
wait
read a < $T/bg1; read b < $T/bg2
[ "$a$b" = bg1bg2 ] && echo "PASS guest/sh_background" || echo "FAIL guest/sh_background: '$a' '$b'"
sh -c 'exit 3' & wait $!; st=$?
[ $st -eq 3 ] && echo "PASS guest/sh_wait_status" || echo "FAIL guest/sh_wait_status: $st"

# A script file with #!, run directly and with sh, with arguments.
echo '#!/bin/sh' > $T/s.sh
echo 'echo "script $1 $#"' >> $T/s.sh
echo 'exit 5' >> $T/s.sh
/bin/shtest child arg > $T/so; st=$?; read got < $T/so
[ "$got" = "script arg 2" ] && [ $st -eq 5 ] && echo "PASS guest/sh_script_exec" || echo "FAIL guest/sh_script_exec: '$got' status $st"
sh $T/s.sh a b > $T/so; st=$?; read got < $T/so
[ "$got" = "script a 2" ] && [ $st -eq 5 ] && echo "PASS guest/sh_script_sh" || echo "FAIL guest/sh_script_sh: '$got' status $st"

# sh -c with ; and a pipeline inside.
sh -c 'echo c1; echo c2 | cat' > $T/c; wc -l < $T/c > $T/n; read n < $T/n
[ "$n" -eq 2 ] && echo "PASS guest/sh_dash_c" || echo "FAIL guest/sh_dash_c: $n lines"

# cd and pwd.
cd $T && pwd > $T/cwd; read got < $T/cwd
[ "$got" = "$T" ] && echo "PASS guest/sh_cd_pwd" || echo "FAIL guest/sh_cd_pwd: '$got'"
cd /nope 2> $T/e; st=$?; read e < $T/e
[ $st -eq 1 ] && [ "$e" = "sh: cd: /nope: No such file or directory" ] && echo "PASS guest/sh_cd_error" || echo "FAIL guest/sh_cd_error: '$e' $st"
cd /
cd - > /dev/null; pwd > $T/cwd; read got < $T/cwd
[ "$got" = "$T" ] && echo "PASS guest/sh_cd_dash" || echo "FAIL guest/sh_cd_dash: '$got'"
cd /

# export to a child; VAR=x cmd for one command only.
export SHTEST_VAR=exported
sh -c 'echo $SHTEST_VAR' > $T/x; read got < $T/x
[ "$got" = exported ] && echo "PASS guest/sh_export" || echo "FAIL guest/sh_export: '$got'"
NOTEXP=hidden; sh -c 'echo "[$NOTEXP]"' > $T/x; read got < $T/x
[ "$got" = "[]" ] && echo "PASS guest/sh_not_exported" || echo "FAIL guest/sh_not_exported: '$got'"
ONCE=yes sh -c 'echo $ONCE' > $T/x; read got < $T/x
[ "$got" = yes ] && [ -z "$ONCE" ] && echo "PASS guest/sh_assign_prefix" || echo "FAIL guest/sh_assign_prefix: '$got' '$ONCE'"

# set -e stops a script at the first failure.
sh -c 'set -e; echo before; false; echo after' > $T/e; wc -l < $T/e > $T/n; read n < $T/n
[ "$n" -eq 1 ] && echo "PASS guest/sh_set_e" || echo "FAIL guest/sh_set_e: $n lines"

# Syntax errors are reported with status 2.
sh -c 'echo a | | b' 2> $T/e; st=$?; read e < $T/e
[ $st -eq 2 ] && [ "$e" = "sh: syntax error near unexpected token \`|'" ] && echo "PASS guest/sh_syntax_error" || echo "FAIL guest/sh_syntax_error: '$e' $st"

rm -r $T
exit 0
