/*
 * Shared by the `nearjob` command-line tool's commands (examples/cli/).
 *
 * Each command lives in its own file and has the signature of cli_command:
 * argv[0] is the command's name ("demo", "match", ...), options follow.
 * The tool uses the library only through its public API.
 */
#ifndef NJ_CLI_H
#define NJ_CLI_H

#include <stddef.h>

/* Exit status of every command; docs/cli.md and the man page list them. */
enum cli_status {
    CLI_OK = 0,     /* success */
    CLI_USAGE = 1,  /* bad command line: unknown option, missing argument */
    CLI_DATA = 2,   /* an input file is missing, unreadable or has a bad row */
    CLI_OUTPUT = 3, /* an output file could not be written (nothing left) */
    CLI_FAILED = 4  /* the library refused an operation or ran out of memory */
};

typedef int cli_command(int argc, char **argv);

/* The commands, one file each. */
int cli_demo(int argc, char **argv);
int cli_report(int argc, char **argv);

/*
 * The folder with the bundled data: `override` when given, else
 * $NEARJOB_DATA, else the source tree's examples/data when it is there,
 * else the installed copy (share/nearjob).
 */
const char *cli_data_dir(const char *override);

/* Join dir and name into buf; 0 when it does not fit. */
int cli_join_path(char *buf, size_t size, const char *dir, const char *name);

/* "nearjob: <what>[: <arg>]" on stderr, then `nearjob <command> --help`'s
 * hint; returns CLI_USAGE. */
int cli_usage_error(const char *command, const char *what, const char *arg);

#endif /* NJ_CLI_H */
