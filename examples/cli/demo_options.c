/* Option values of `nearjob demo` and `nearjob report` (demo_round.h). */
#include <string.h>

#include "demo_round.h"

int demo_take_option(int argc, char **argv, int *i, const char *name,
                     const char **value)
{
    size_t len = strlen(name);

    if (strncmp(argv[*i], name, len) != 0)
        return 0;
    if (argv[*i][len] == '=') {
        *value = argv[*i] + len + 1;
        return 1;
    }
    if (argv[*i][len] != '\0')
        return 0;
    if (*i + 1 == argc)
        return -1;
    *value = argv[++*i];
    return 1;
}
