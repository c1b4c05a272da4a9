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
    cli_help *help;
    const char *summary;
} command_entry;

static const command_entry commands[] = {
    {"demo", cli_demo, cli_demo_help,
     "a programme round on the bundled Gwangju data"},
    {"report", cli_report, cli_report_help,
     "an HTML report of a world (or of the demo round)"},
    {"import", cli_import, cli_import_help,
     "CSV and GeoJSON files into a world file, all or nothing"},
    {"locate", cli_locate, cli_locate_help,
     "the neighbourhood containing a point"},
    {"match", cli_match, cli_match_help,
     "postings near a resident, residents near a posting, or all"},
    {"apply", cli_apply, cli_apply_help,
     "a resident applies for a posting"},
    {"withdraw", cli_withdraw, cli_withdraw_help,
     "a resident withdraws an application; the waitlist moves up"},
    {"select", cli_select, cli_select_help,
     "fill a posting's slots by seeded lottery or first come"},
    {"stipend", cli_stipend, cli_stipend_help,
     "stipend statements under the hour cap, and totals"},
    {"stats", cli_stats, cli_stats_help,
     "target attainment and placements, published tables"},
    {"export", cli_export, cli_export_help,
     "CSV files of a world's objects"},
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void print_usage(FILE *out)
{
    fprintf(out, "usage: nearjob <command> [options]\n"
                 "       nearjob <command> --help\n"
                 "       nearjob --help | --version\n\nCommands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nA world file (W.nj) is a snapshot of the whole registry; commands that\n"
                 "change it replace it atomically, and only when they succeed.\n"
                 "\nExit status: 0 success, 1 usage error, 2 bad or missing input (a\n"
                 "file, a row, an unknown id), 3 output not written, 4 the library\n"
                 "refused the operation. See docs/cli.md or man nearjob.\n");
}

/* A command's output that did not reach stdout (a full disk, a closed
 * pipe) is a failed command. */
static int finish_output(int code)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("nearjob: standard output");
        return code == CLI_OK ? CLI_OUTPUT : code;
    }
    return code;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error(NULL, "missing command", NULL);
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        print_usage(stdout);
        return finish_output(CLI_OK);
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("%s\n", nj_version_string());
        return finish_output(CLI_OK);
    }
    for (size_t i = 0; i < N_COMMANDS; i++) {
        if (strcmp(argv[1], commands[i].name) != 0)
            continue;
        if (cli_wants_help(argc - 1, argv + 1)) {
            commands[i].help(stdout);
            return finish_output(CLI_OK);
        }
        return finish_output(commands[i].run(argc - 1, argv + 1));
    }
    return cli_usage_error(NULL, "unknown command", argv[1]);
}
