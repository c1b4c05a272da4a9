/*
 * Shared by the `nearjob` command-line tool's commands (examples/cli/).
 *
 * Each command lives in its own file and has the signature of cli_command:
 * argv[0] is the command's name ("demo", "match", ...), options follow.
 * The tool uses the library only through its public API. docs/cli.md
 * describes every command, option and exit status.
 */
#ifndef NJ_CLI_H
#define NJ_CLI_H

#include <nearjob.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit status of every command; docs/cli.md and the man page list them. */
enum cli_status {
    CLI_OK = 0,     /* success (an empty result included) */
    CLI_USAGE = 1,  /* bad command line: unknown option, missing argument,
                       a value that is not a number, date or known word */
    CLI_DATA = 2,   /* an input is missing or bad: a file that cannot be
                       read or has a bad row, an id the world does not have */
    CLI_OUTPUT = 3, /* an output file could not be written (nothing left) */
    CLI_FAILED = 4  /* the library refused the operation by its rules (not
                       eligible, closed, already done, over a cap), or ran
                       out of memory */
};

typedef int cli_command(int argc, char **argv);
typedef void cli_help(FILE *out);

/* The commands, one file each, and their --help (which nearjob.c prints
 * when -h or --help is among a command's arguments). */
int cli_demo(int argc, char **argv);
int cli_report(int argc, char **argv);
int cli_import(int argc, char **argv);
int cli_locate(int argc, char **argv);
int cli_match(int argc, char **argv);
int cli_apply(int argc, char **argv);
int cli_withdraw(int argc, char **argv);
int cli_select(int argc, char **argv);
int cli_stipend(int argc, char **argv);
int cli_stats(int argc, char **argv);
int cli_export(int argc, char **argv);
void cli_demo_help(FILE *out);
void cli_report_help(FILE *out);
void cli_import_help(FILE *out);
void cli_locate_help(FILE *out);
void cli_match_help(FILE *out);
void cli_apply_help(FILE *out);
void cli_withdraw_help(FILE *out);
void cli_select_help(FILE *out);
void cli_stipend_help(FILE *out);
void cli_stats_help(FILE *out);
void cli_export_help(FILE *out);

/* ---- the command line (cli_options.c) -------------------------------- */

enum cli_option_kind {
    CLI_FLAG,  /* --name; target is an int *, set to 1 */
    CLI_VALUE, /* --name VALUE or --name=VALUE, once; a const char ** */
    CLI_LIST   /* as CLI_VALUE, any number of times; a cli_list * */
};

#define CLI_LIST_MAX 64

typedef struct cli_list {
    const char *item[CLI_LIST_MAX];
    size_t count;
} cli_list;

typedef struct cli_option {
    const char *name;     /* "--snapshot", "-s" */
    int kind;             /* a cli_option_kind */
    void *target;
    const char *required; /* CLI_VALUE: its metavar ("W.nj") when the
                             option must be given, else NULL */
} cli_option;

/* Whether -h or --help is among the arguments. */
int cli_wants_help(int argc, char **argv);

/*
 * Parse argv[1 ..] against the options. Other words go to `positional`
 * (NULL when the command takes none); a word that starts with '-' and a
 * digit or '.' is a number, hence positional. Returns CLI_OK, or CLI_USAGE
 * after printing what is wrong (an unknown option, a missing value, a
 * value given twice, too many words, a required option left out).
 */
int cli_parse_options(const char *command, int argc, char **argv,
                      const cli_option *options, size_t n_options,
                      cli_list *positional);

/*
 * Conversions of option values. Each returns CLI_OK with *out set, or
 * prints "nearjob: OPTION needs ...: TEXT" with the command's help hint and
 * returns CLI_USAGE. Numbers are decimal and locale-independent.
 */
int cli_value_uint(const char *command, const char *option, const char *text,
                   uint64_t min, uint64_t max, uint64_t *out);
int cli_value_id(const char *command, const char *option, const char *text,
                 int64_t *out);
/* YYYYMMDD or YYYY-MM-DD, a calendar date (nj_date_is_valid()). */
int cli_value_date(const char *command, const char *option, const char *text,
                   int32_t *out);
int cli_value_double(const char *command, const char *option,
                     const char *text, double min, double max, double *out);
/* The index of `text` in the NULL-terminated `words`. */
int cli_value_word(const char *command, const char *option, const char *text,
                   const char *const *words, size_t *out);

/* "nearjob: <what>[: <arg>]" on stderr, then `nearjob <command> --help`'s
 * hint; returns CLI_USAGE. */
int cli_usage_error(const char *command, const char *what, const char *arg);

/* ---- files and the world (cli_common.c) ------------------------------ */

/*
 * The folder with the bundled data: `override` when given, else
 * $NEARJOB_DATA, else the installed copy beside the running executable
 * (<bindir>/../share/nearjob), else the source tree's examples/data when it
 * is there (the build tree), else the installed copy at the configured
 * prefix.
 */
const char *cli_data_dir(const char *override);

/* Join dir and name into buf; 0 when it does not fit. */
int cli_join_path(char *buf, size_t size, const char *dir, const char *name);

/* A new, empty world; CLI_FAILED after a message when out of memory. */
int cli_world_new(nj_registry **reg);

/* Load a world (snapshot) file; CLI_DATA with the message on failure. */
int cli_world_load(const char *path, nj_registry **reg);

/* Load the world at `path`, do `work` on it and free it: the first
 * failing status, or CLI_OK. */
typedef int cli_world_work(nj_registry *reg, void *options);
int cli_with_world(const char *path, cli_world_work *work, void *options);

/*
 * The file an output to `path` replaces. Every output is written to a
 * temporary file beside it and renamed over it, which would replace a
 * symbolic link, or a device (/dev/stdout, as root), itself. So a link is
 * followed to the file it names (the link stays), and a path that exists
 * but is not a regular file is refused. Returns CLI_OK with the path in
 * buf, or CLI_OUTPUT after a message (nothing was written).
 */
int cli_output_path(const char *path, char *buf, size_t size);

/* Save it atomically (nj_snapshot_save_file(), to cli_output_path());
 * CLI_OUTPUT on failure, the old file then untouched. */
int cli_world_save(const nj_registry *reg, const char *path);

/*
 * After a change to the world that returned `rc`: on NJ_OK save it to
 * `path` (NULL: a dry run, nothing saved); otherwise report the refusal
 * (cli_refused()) and that `path` is unchanged.
 */
int cli_save_change(const nj_registry *reg, const char *path,
                    const char *what, nj_status rc);

/* "102 regions, 37 facilities, ..." for the summary lines. */
void cli_print_world_counts(FILE *out, const nj_registry *reg);

/* Objects of one CSV type in the world (applications of every posting). */
size_t cli_object_count(const nj_registry *reg, int32_t object);

/*
 * A refusal of the library: "nearjob: <what>: <message> (<status>)" on
 * stderr, or "nearjob: <what> (<status>)" when there is no message: `reg`
 * is NULL after a read-only call (those write none). Returns CLI_DATA for
 * NJ_E_NOT_FOUND (the input names something the world does not have),
 * CLI_FAILED otherwise.
 */
int cli_refused(const nj_registry *reg, const char *what, nj_status rc);

/* CSV object types by their command-line names ("facilities",
 * "work-entries", ...); 0 when unknown. */
int32_t cli_csv_object(const char *name);
const char *cli_csv_object_name(int32_t object);
/* The words cli_csv_object() knows, for messages: "regions, ...". */
const char *cli_csv_object_names(void);
/* Those words for a --help: "regions, ... or targets", wrapped at 79
 * columns, every line indented by `indent`, ending in a newline. */
void cli_print_csv_object_list(FILE *out, int indent);

/*
 * OBJECT=FILE of --csv: the object type and the path (pointing into
 * `spec`). Returns CLI_OK or CLI_USAGE after a message.
 */
int cli_csv_spec(const char *command, const char *spec, int32_t *object,
                 const char **path);

/* qsort() order of int64_t ids. */
int cli_compare_ids(const void *a, const void *b);

/* Today's local date as YYYYMMDD. */
int32_t cli_today(void);

/* "2023-03-01" into buf (11 bytes); returns buf. */
const char *cli_format_date(char *buf, int32_t date);

/* ---- output (cli_table.c) -------------------------------------------- */

/*
 * A table printed aligned for people or as CSV. Column formats, one letter
 * per column: 'l' text, left-aligned; 'r' text, right-aligned; 'n' a
 * number, right-aligned, with thousands separators in the aligned form;
 * 'm' minutes, shown as H:MM in the aligned form and as minutes in CSV.
 * A header "aligned|csv" gives the two forms different names. Cells are
 * copied.
 */
typedef struct cli_table {
    size_t columns;
    const char *const *headers;
    const char *formats;
    char **cells;
    size_t rows, capacity;
} cli_table;

void cli_table_init(cli_table *t, const char *const *headers,
                    const char *formats);
/* Add a row of t->columns cells; CLI_OK or CLI_FAILED (out of memory). */
int cli_table_add(cli_table *t, const char *const *cells);
/* Print the table; aligned output pads by display width (Hangul is 2). */
void cli_table_print(const cli_table *t, FILE *out, int csv);
void cli_table_free(cli_table *t);

/* One CSV field: quoted when it holds a comma, quote or line break; free
 * text that would start a spreadsheet formula (= + - @ TAB CR) gets a
 * leading ', as the library's exports do. */
void cli_csv_field(FILE *out, const char *text, int free_text);

/* A JSON string literal. */
void cli_json_string(FILE *out, const char *text);

/* ---- progress (cli_progress.c) --------------------------------------- */

/*
 * A one-line progress indicator on stderr, drawn only when stderr is a
 * terminal, at most ten times a second; silent otherwise.
 */
typedef struct cli_progress {
    int active;
    const char *what;
    size_t total;
    double last_drawn;
} cli_progress;

void cli_progress_start(cli_progress *p, const char *what, size_t total);
/* `done` of `total` (and an optional note, e.g. the file being read). */
void cli_progress_update(cli_progress *p, size_t done, const char *note);
/* Erase the line. */
void cli_progress_end(cli_progress *p);

#endif /* NJ_CLI_H */
