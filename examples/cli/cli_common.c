/* Helpers shared by the nearjob commands (see cli.h). */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The bundled data in the source tree, then where `meson install` puts it. */
#ifndef NJ_EXAMPLES_DATA_DIR
#define NJ_EXAMPLES_DATA_DIR "examples/data"
#endif
#ifndef NJ_INSTALLED_DATA_DIR
#define NJ_INSTALLED_DATA_DIR NJ_EXAMPLES_DATA_DIR
#endif

/* A file every copy of the bundled data has. */
#define DATA_MARKER "admdong_gwangju_all.geojson"

const char *cli_data_dir(const char *override)
{
    const char *env = getenv("NEARJOB_DATA");

    if (override && override[0] != '\0')
        return override;
    if (env && env[0] != '\0')
        return env;
    if (access(NJ_EXAMPLES_DATA_DIR "/" DATA_MARKER, R_OK) == 0)
        return NJ_EXAMPLES_DATA_DIR;
    return NJ_INSTALLED_DATA_DIR;
}

int cli_join_path(char *buf, size_t size, const char *dir, const char *name)
{
    int n = snprintf(buf, size, "%s/%s", dir, name);
    return n >= 0 && (size_t)n < size;
}

int cli_usage_error(const char *command, const char *what, const char *arg)
{
    fprintf(stderr, "nearjob: %s%s%s\n", what, arg ? ": " : "", arg ? arg : "");
    if (command)
        fprintf(stderr, "Try 'nearjob %s --help'.\n", command);
    else
        fprintf(stderr, "Try 'nearjob --help'.\n");
    return CLI_USAGE;
}
