/*
 * nearjob: the command-line tool.
 *
 * `nearjob <command> [options]`; each command lives in examples/cli/ and
 * uses the library only through its public API.
 */
#include <nearjob.h>

#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct command_entry {
    const char *name;
    cli_command *run;
    const char *summary;
} command_entry;

static const command_entry commands[] = {
    {"demo", cli_demo, "a programme round on the bundled Gwangju data"},
    {"report", cli_report, "an HTML report of a world (or of the demo round)"},
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void print_usage(FILE *out)
{
    fprintf(out, "usage: nearjob <command> [options]\n"
                 "       nearjob <command> --help\n"
                 "       nearjob --help | --version\n\nCommands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nExit status: 0 success, 1 usage error, 2 bad or missing "
                 "input, 3 output not written,\n4 the library refused an "
                 "operation.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error(NULL, "missing command", NULL);
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        print_usage(stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("%s\n", nj_version_string());
        return CLI_OK;
    }
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    return cli_usage_error(NULL, "unknown command", argv[1]);
}
