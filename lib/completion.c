/* Copyright (c) 2026 The wakebench authors.  SPDX-License-Identifier: BSD-2-Clause */
#include "completion.h"

#include <errno.h>
#include <string.h>

#include "config.h"

const char completion_shells[] = "bash, zsh";

/* What an option's value completes to. */
enum value { V_NONE, V_FLAG, V_FILE, V_LIST, V_WORD };

/*
 * value_of: how o's value completes, and the words it offers in buf
 * (space-separated): the axis' names for a list (and "all" where the
 * axis takes it), "max" for a rate.
 */
static enum value
value_of(const struct config_opt *o, char *buf, size_t len)
{
	char names[4096];
	size_t n = 0;

	buf[0] = '\0';
	if (o->arg == NULL)
		return V_FLAG;
	switch (o->kind) {
	case OPT_PATH:
		return V_FILE;
	case OPT_RATE:
		snprintf(buf, len, "max");
		return V_WORD;
	case OPT_LIST:
	case OPT_WORD:
		config_names(o->axis, names, sizeof(names));
		for (const char *p = names; *p && n + 1 < len; p++)
			if (p[0] == ',' && p[1] == ' ')
				buf[n++] = ' ', p++;
			else
				buf[n++] = *p;
		buf[n] = '\0';
		if (o->axis->all)
			snprintf(buf + n, len - n, " all");
		return o->kind == OPT_LIST ? V_LIST : V_WORD;
	default:
		return V_NONE;
	}
}

/* bash: one case arm for an option ("-m|--mechanism"). */
static void
bash_arm(FILE *f, const struct config_opt *o, enum value v, const char *words)
{
	static const char *const kind[] = { "value", "flag", "file", "list", "word" };

	if (o->chr)
		fprintf(f, "\t-%c|", o->chr);
	else
		fprintf(f, "\t");
	fprintf(f, "--%s) _wb_kind=%s _wb_words='%s' ;;\n", o->name, kind[v], words);
}

/* bash: the arms of a subcommand's own options. */
static void
bash_sub_arms(FILE *f, const char *opts, const char *kind)
{
	char buf[256];

	if (opts == NULL || opts[0] == '\0')
		return;
	snprintf(buf, sizeof(buf), "%s", opts);
	for (char *p = buf; *p; p++)
		if (*p == ' ')
			*p = '|';
	fprintf(f, "\t\t%s) _wb_kind=%s _wb_words= ;;\n", buf, kind);
}

static const char bash_main[] =
"# _wakebench: bash(1) splits --opt=value at '=' (COMP_WORDBREAKS);\n"
"# without that split the value keeps its --opt= prefix.  A list completes\n"
"# after its last comma, with the names it does not hold yet.\n"
"_wakebench() {\n"
"\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev= pre= sub=run head= left= i\n"
"\tCOMPREPLY=()\n"
"\t(( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
"\tif [[ $cur == = ]]; then\n"
"\t\tcur=\n"
"\telif [[ $prev == = ]] && (( COMP_CWORD > 1 )); then\n"
"\t\tprev=${COMP_WORDS[COMP_CWORD-2]}\n"
"\telif [[ $cur == --*=* ]]; then\n"
"\t\tprev=${cur%%=*} pre=${cur%%=*}= cur=${cur#*=}\n"
"\tfi\n"
"\tif (( COMP_CWORD > 1 )); then\n"
"\t\tfor i in $_wakebench_subs; do\n"
"\t\t\t[[ ${COMP_WORDS[1]} == \"$i\" ]] && sub=$i\n"
"\t\tdone\n"
"\tfi\n"
"\tif _wakebench_arg \"$sub\" \"$prev\"; then\n"
"\t\tcase $_wb_kind in\n"
"\t\tfile)\n"
"\t\t\tcompopt -o filenames 2>/dev/null\n"
"\t\t\tmapfile -t COMPREPLY < <(compgen -f -- \"$cur\") ;;\n"
"\t\tlist)\n"
"\t\t\t[[ $cur == *,* ]] && head=${cur%,*},\n"
"\t\t\tfor i in $_wb_words; do\n"
"\t\t\t\t[[ ,$head == *,$i,* ]] || left+=\" $i\"\n"
"\t\t\tdone\n"
"\t\t\tcompopt -o nospace 2>/dev/null\n"
"\t\t\tCOMPREPLY=($(compgen -P \"$pre$head\" -W \"$left\" -- \"${cur##*,}\")) ;;\n"
"\t\tword)\n"
"\t\t\tCOMPREPLY=($(compgen -P \"$pre\" -W \"$_wb_words\" -- \"$cur\")) ;;\n"
"\t\tesac\n"
"\t\treturn 0\n"
"\tfi\n"
"\tif [[ $cur == -* ]]; then\n"
"\t\tCOMPREPLY=($(compgen -W \"$(_wakebench_opts \"$sub\")\" -- \"$cur\"))\n"
"\telif (( COMP_CWORD == 1 )); then\n"
"\t\tCOMPREPLY=($(compgen -W \"$_wakebench_subs\" -- \"$cur\"))\n"
"\telse\n"
"\t\t_wakebench_operands \"$sub\" \"$cur\"\n"
"\tfi\n"
"\treturn 0\n"
"}\n"
"complete -F _wakebench wakebench\n";

static void
bash(FILE *f, const struct completion_sub *subs)
{
	char words[4096];

	/* The subcommands. */
	fprintf(f, "_wakebench_subs='run");
	for (const struct completion_sub *s = subs; s->name; s++)
		fprintf(f, " %s", s->name);
	fprintf(f, "'\n\n");

	/* What follows an option: _wb_kind and _wb_words, or 1 for a word
	 * that is no option taking a value. */
	fprintf(f, "# _wakebench_arg SUB OPT: what follows OPT under SUB, in _wb_kind\n"
	    "# (file, list, word, value) and _wb_words; 1 if OPT takes no value.\n"
	    "_wakebench_arg() {\n\t_wb_kind= _wb_words=\n\tcase $1 in\n");
	for (const struct completion_sub *s = subs; s->name; s++) {
		if (!s->file_opts && !s->value_opts)
			continue;
		fprintf(f, "\t%s)\n\t\tcase $2 in\n", s->name);
		bash_sub_arms(f, s->file_opts, "file");
		bash_sub_arms(f, s->value_opts, "value");
		fprintf(f, "\t\t*) return 1 ;;\n\t\tesac ;;\n");
	}
	fprintf(f, "\trun)\n\t\tcase $2 in\n");
	for (const struct config_opt *o = config_opts; o->name; o++) {
		enum value v = value_of(o, words, sizeof(words));
		if (v != V_FLAG) {
			fprintf(f, "\t");
			bash_arm(f, o, v, words);
		}
	}
	fprintf(f, "\t\t*) return 1 ;;\n\t\tesac ;;\n\t*) return 1 ;;\n\tesac\n}\n\n");

	/* The options of each subcommand. */
	fprintf(f, "_wakebench_opts() {\n\tcase $1 in\n\trun) echo '");
	for (const struct config_opt *o = config_opts; o->name; o++)
		fprintf(f, "%s--%s", o == config_opts ? "" : " ", o->name);
	for (const struct config_opt *o = config_opts; o->name; o++)
		if (o->chr)
			fprintf(f, " -%c", o->chr);
	fprintf(f, "' ;;\n");
	/* A subcommand with nothing to take (list) takes no --help either. */
	for (const struct completion_sub *s = subs; s->name; s++)
		if (s->file_opts || s->value_opts || s->words || s->files)
			fprintf(f, "\t%s) echo '%s%s%s%s--help' ;;\n", s->name,
			    s->file_opts ? s->file_opts : "",
			    s->file_opts ? " " : "",
			    s->value_opts ? s->value_opts : "",
			    s->value_opts ? " " : "");
	fprintf(f, "\tesac\n}\n\n");

	/* Operands. */
	fprintf(f, "_wakebench_operands() {\n\tcase $1 in\n");
	for (const struct completion_sub *s = subs; s->name; s++) {
		if (s->files)
			fprintf(f, "\t%s)\n\t\tcompopt -o filenames 2>/dev/null\n"
			    "\t\tmapfile -t COMPREPLY < <(compgen -f -- \"$2\") ;;\n",
			    s->name);
		else if (s->words)
			fprintf(f, "\t%s) COMPREPLY=($(compgen -W '%s' -- \"$2\")) ;;\n",
			    s->name, s->words);
	}
	fprintf(f, "\tesac\n}\n\n%s", bash_main);
}

/* zsh_text writes s inside a single-quoted _arguments spec: ' closed and
 * reopened, and the brackets and colons the spec syntax reads escaped. */
static void
zsh_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else if (strchr("[]:\\", *s))
			fprintf(f, "\\%c", *s);
		else
			fputc(*s, f);
	}
}

/* zsh: one _arguments spec for a run option. */
static void
zsh_spec(FILE *f, const struct config_opt *o)
{
	char words[4096];
	enum value v = value_of(o, words, sizeof(words));
	const char *arg = v == V_FLAG ? "" : "=";

	/* -h and -V exclude everything else, the rest their other spelling. */
	bool alone = o->kind == OPT_HELP || o->kind == OPT_VERSION;

	fprintf(f, "\t\t");
	if (o->chr && alone)
		fprintf(f, "'(- *)'{-%c,--%s}'[", o->chr, o->name);
	else if (o->chr)
		fprintf(f, "'(-%c --%s)'{-%c%s,--%s%s}'[", o->chr, o->name,
		    o->chr, v == V_FLAG ? "" : "+", o->name, arg);
	else
		fprintf(f, "'--%s%s[", o->name, arg);
	zsh_text(f, o->help);
	fprintf(f, "]");
	switch (v) {
	case V_FLAG:
		break;
	case V_FILE:
		fprintf(f, ":%s:_files", o->arg);
		break;
	case V_LIST:
		fprintf(f, ":%s:_values -s , %s %s", o->arg, o->name, words);
		break;
	case V_WORD:
		fprintf(f, ":%s:(%s)", o->arg, words);
		break;
	case V_NONE:
		fprintf(f, ":%s: ", o->arg);
		break;
	}
	fprintf(f, "'\n");
}

/* zsh: the _arguments specs of a subcommand's own options. */
static void
zsh_sub_specs(FILE *f, const char *opts, const char *action)
{
	char buf[256];

	if (opts == NULL)
		return;
	snprintf(buf, sizeof(buf), "%s", opts);
	for (char *p = strtok(buf, " "); p; p = strtok(NULL, " "))
		fprintf(f, " '%s=:%s'", p, action);
}

static void
zsh(FILE *f, const struct completion_sub *subs)
{
	fprintf(f, "_wakebench() {\n\tlocal -a run_opts subs\n\trun_opts=(\n");
	for (const struct config_opt *o = config_opts; o->name; o++)
		zsh_spec(f, o);
	fprintf(f, "\t)\n\tsubs=(\n\t\t'run:measure (the default)'\n");
	for (const struct completion_sub *s = subs; s->name; s++) {
		fprintf(f, "\t\t'%s:", s->name);
		zsh_text(f, s->desc);
		fprintf(f, "'\n");
	}
	fprintf(f, "\t)\n"
	    "\tif (( CURRENT == 2 )) && [[ $PREFIX != -* ]]; then\n"
	    "\t\t_describe -t commands 'wakebench command' subs\n"
	    "\t\treturn\n\tfi\n"
	    "\tcase $words[2] in\n");
	for (const struct completion_sub *s = subs; s->name; s++) {
		fprintf(f, "\t%s)\n\t\tshift words; (( CURRENT-- ))\n"
		    "\t\t_arguments '(- *)'{-h,--help}'[usage]'", s->name);
		zsh_sub_specs(f, s->file_opts, "FILE:_files");
		zsh_sub_specs(f, s->value_opts, "VALUE: ");
		if (s->files)
			fprintf(f, " '*:FILE:_files'");
		else if (s->words)
			fprintf(f, " '1:%s:(%s)'", s->name, s->words);
		fprintf(f, " ;;\n");
	}
	fprintf(f, "\trun)\n\t\tshift words; (( CURRENT-- ))\n"
	    "\t\t_arguments -s $run_opts ;;\n"
	    "\t*)\n\t\t_arguments -s $run_opts ;;\n\tesac\n}\n\n"
	    "if [[ $funcstack[1] == _wakebench ]]; then\n"
	    "\t_wakebench \"$@\"\nelse\n\tcompdef _wakebench wakebench\nfi\n");
}

int
completion_write(FILE *f, const char *shell, const char *version,
    const struct completion_sub *subs)
{
	bool is_bash = strcmp(shell, "bash") == 0;

	if (!is_bash && strcmp(shell, "zsh") != 0)
		return EINVAL;
	if (!is_bash)
		fprintf(f, "#compdef wakebench\n");
	fprintf(f, "# %s completion for wakebench(1) %s, generated by `wakebench "
	    "completion %s`\n# from the tables its option parser reads.\n\n",
	    shell, version, shell);
	errno = 0;
	if (is_bash)
		bash(f, subs);
	else
		zsh(f, subs);
	if (fflush(f) != 0 || ferror(f))
		return errno ? errno : EIO;
	return 0;
}
