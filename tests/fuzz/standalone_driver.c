/*
 * Runs a libFuzzer target's LLVMFuzzerTestOneInput() over files and folders
 * given on the command line, so that the committed corpus is replayed as a
 * normal test in every build, gcc included (as zstd's regression_driver.c
 * and libgit2's standalone_driver.c do). Exits 1 if it found no input.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    size_t cap = 4096, size = 0, n;
    uint8_t *data = malloc(cap);
    while (data && (n = fread(data + size, 1, cap - size, f)) > 0)
        if ((size += n) == cap)
            data = realloc(data, cap *= 2);
    if (!data)
        abort();
    fclose(f);
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    return 1;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static size_t run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        exit(1);
    }
    if (!S_ISDIR(st.st_mode))
        return run_file(path);
    struct dirent **entries;
    int n = scandir(path, &entries, NULL, by_name);
    size_t count = 0;
    for (int i = 0; i < n; i++) {
        if (entries[i]->d_name[0] != '.') {
            char child[4096];
            snprintf(child, sizeof child, "%s/%s", path, entries[i]->d_name);
            count += run_path(child);
        }
        free(entries[i]);
    }
    free(entries);
    return count;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    for (int i = 1; i < argc; i++)
        count += run_path(argv[i]);
    printf("%zu inputs replayed\n", count);
    return count > 0 ? 0 : 1;
}
