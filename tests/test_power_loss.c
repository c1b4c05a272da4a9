/*
 * Power loss during a save (reliability.md §2 item 3, the stretch goal).
 * test_snapshot.c kills the saving process, which loses nothing the kernel
 * already holds. A power cut loses more: file data not yet fsynced, and
 * folder changes (a create, a rename) not yet made durable by an fsync of
 * the folder. So this test runs the save on a folder kept in memory behind
 * the library's system-call table (nj_file_ops), cuts the power after each
 * call in turn, and then "reboots" into every state the disk may hold:
 *
 *   - the folder: its last synced entries plus any prefix of the changes
 *     made since (a journal replays them in order, and may stop anywhere);
 *   - each file: its content at its last fsync, everything written, or a
 *     torn half of what was written.
 *
 * Each state is then loaded through the same table. The target: the file
 * is always the old snapshot or the new one, byte for byte, and always the
 * new one once the save has returned NJ_OK. Negative controls (a writer in
 * place, a save without the file's fsync, one without the folder's) must
 * be caught.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io_internal.h"
#include "nearjob.h"
#include "snapshot_internal.h"

#define FOLDER "/vfs"
#define TARGET FOLDER "/registry.njs"
#define MAX_INODES 6
#define MAX_NAMES 6
#define MAX_PENDING 8
#define MAX_FDS 6
#define NAME_SIZE 32
#define MSG_SIZE 320

/* ---- a folder in memory ------------------------------------------------- */

typedef struct inode {
    uint8_t *data, *synced; /* what was written; what the last fsync made durable */
    size_t size, synced_size;
} inode;

typedef struct entries {
    char name[MAX_NAMES][NAME_SIZE];
    int ino[MAX_NAMES];
    int count;
} entries;

/* A change to the folder not yet made durable. */
typedef enum change_kind { CHANGE_LINK, CHANGE_RENAME, CHANGE_UNLINK } change_kind;

typedef struct folder_change {
    change_kind kind;
    char from[NAME_SIZE], to[NAME_SIZE]; /* `to` for a rename only */
    int ino;                             /* a new link's inode */
} folder_change;

typedef struct open_file {
    int ino; /* -1 = the folder itself, -2 = not open */
    size_t offset;
} open_file;

typedef struct vfs {
    nj_file_ops ops;
    inode inodes[MAX_INODES];
    int inode_count;
    entries durable;                      /* the folder as last synced */
    folder_change pending[MAX_PENDING];   /* since then, in order */
    int pending_count;
    open_file fds[MAX_FDS];
    int calls, power_until; /* calls after `power_until` fail: the power is off */
    size_t write_chunk;     /* writes longer than this are cut short */
} vfs;

static int find_entry(const entries *e, const char *name)
{
    for (int i = 0; i < e->count; i++)
        if (strcmp(e->name[i], name) == 0)
            return i;
    return -1;
}

static void drop_entry(entries *e, int i)
{
    e->count--;
    memmove(e->name[i], e->name[e->count], NAME_SIZE);
    e->ino[i] = e->ino[e->count];
}

static void apply_change(entries *e, const folder_change *c)
{
    int from = find_entry(e, c->from);
    if (c->kind == CHANGE_LINK) {
        assert_true(from < 0 && e->count < MAX_NAMES);
        snprintf(e->name[e->count], NAME_SIZE, "%s", c->from);
        e->ino[e->count++] = c->ino;
        return;
    }
    assert_true(from >= 0);
    int to = c->kind == CHANGE_RENAME ? find_entry(e, c->to) : -1;
    if (c->kind == CHANGE_RENAME && to < 0) {
        snprintf(e->name[from], NAME_SIZE, "%s", c->to); /* a new name */
        return;
    }
    if (to >= 0)
        e->ino[to] = e->ino[from]; /* over an old name */
    drop_entry(e, from);
}

/* The folder with the first `n` pending changes applied. */
static entries folder_after(const vfs *v, int n)
{
    entries e = v->durable;
    for (int i = 0; i < n; i++)
        apply_change(&e, &v->pending[i]);
    return e;
}

static entries live_folder(const vfs *v)
{
    return folder_after(v, v->pending_count);
}

/* "/vfs/name" -> "name"; NULL for a path outside the folder. */
static const char *base_name(const char *path)
{
    size_t n = strlen(FOLDER);
    if (strncmp(path, FOLDER "/", n + 1) != 0 || strlen(path + n + 1) >= NAME_SIZE)
        return NULL;
    return path + n + 1;
}

static void add_change(vfs *v, change_kind kind, const char *from, const char *to, int ino)
{
    assert_true(v->pending_count < MAX_PENDING);
    folder_change *c = &v->pending[v->pending_count++];
    c->kind = kind;
    snprintf(c->from, NAME_SIZE, "%s", from);
    snprintf(c->to, NAME_SIZE, "%s", to ? to : "");
    c->ino = ino;
}

static uint8_t *copy_of(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    assert_non_null(copy);
    if (size)
        memcpy(copy, data, size);
    return copy;
}

static int new_inode(vfs *v, const uint8_t *data, size_t size, int synced)
{
    assert_true(v->inode_count < MAX_INODES);
    inode *n = &v->inodes[v->inode_count];
    n->data = copy_of(data, size);
    n->size = size;
    n->synced = copy_of(data, synced ? size : 0);
    n->synced_size = synced ? size : 0;
    return v->inode_count++;
}

/* Counts the call; 0 while the power is on, else -1 with EIO. */
static int power_on(vfs *v)
{
    if (++v->calls > v->power_until) {
        errno = EIO;
        return -1;
    }
    return 0;
}

/* Counts a call on an open descriptor: NULL (errno EIO) once the power is
 * off. */
static open_file *call_on(vfs *v, int fd)
{
    if (power_on(v) != 0)
        return NULL;
    assert_true(fd >= 0 && fd < MAX_FDS && v->fds[fd].ino != -2);
    return &v->fds[fd];
}

static int new_fd(vfs *v, int ino)
{
    for (int fd = 3; fd < MAX_FDS; fd++)
        if (v->fds[fd].ino == -2) {
            v->fds[fd].ino = ino;
            v->fds[fd].offset = 0;
            return fd;
        }
    errno = EMFILE;
    return -1;
}

static int vfs_open(void *ctx, const char *path, int flags, mode_t mode)
{
    (void)mode;
    vfs *v = ctx;
    if (power_on(v) != 0)
        return -1;
    if (flags & O_DIRECTORY) {
        if (strcmp(path, FOLDER) != 0) {
            errno = ENOTDIR;
            return -1;
        }
        return new_fd(v, -1);
    }
    const char *name = base_name(path);
    entries live = live_folder(v);
    int at = name ? find_entry(&live, name) : -1;
    if (at >= 0 && (flags & O_CREAT) && (flags & O_EXCL)) {
        errno = EEXIST;
        return -1;
    }
    if (at < 0 && (!name || !(flags & O_CREAT))) {
        errno = ENOENT;
        return -1;
    }
    int ino = at >= 0 ? live.ino[at] : new_inode(v, NULL, 0, 0);
    if (at < 0)
        add_change(v, CHANGE_LINK, name, NULL, ino);
    if (flags & O_TRUNC)
        v->inodes[ino].size = 0;
    return new_fd(v, ino);
}

static ssize_t vfs_write(void *ctx, int fd, const void *buf, size_t n)
{
    vfs *v = ctx;
    open_file *f = call_on(v, fd);
    if (!f)
        return -1;
    assert_true(f->ino >= 0);
    inode *node = &v->inodes[f->ino];
    size_t len = n < v->write_chunk ? n : v->write_chunk;
    size_t end = f->offset + len;
    if (end > node->size) {
        node->data = realloc(node->data, end);
        assert_non_null(node->data);
        node->size = end;
    }
    memcpy(node->data + f->offset, buf, len);
    f->offset = end;
    return (ssize_t)len;
}

static ssize_t vfs_read(void *ctx, int fd, void *buf, size_t n)
{
    vfs *v = ctx;
    open_file *f = call_on(v, fd);
    if (!f)
        return -1;
    assert_true(f->ino >= 0);
    const inode *node = &v->inodes[f->ino];
    size_t left = node->size > f->offset ? node->size - f->offset : 0;
    size_t len = n < left ? n : left;
    memcpy(buf, node->data + f->offset, len);
    f->offset += len;
    return (ssize_t)len;
}

static int vfs_fstat(void *ctx, int fd, struct stat *st)
{
    vfs *v = ctx;
    open_file *f = call_on(v, fd);
    if (!f)
        return -1;
    memset(st, 0, sizeof *st);
    st->st_mode = f->ino < 0 ? S_IFDIR | 0700 : S_IFREG | 0600;
    st->st_size = f->ino < 0 ? 0 : (off_t)v->inodes[f->ino].size;
    return 0;
}

static int vfs_fsync(void *ctx, int fd)
{
    vfs *v = ctx;
    open_file *f = call_on(v, fd);
    if (!f)
        return -1;
    if (f->ino < 0) {
        v->durable = live_folder(v);
        v->pending_count = 0;
        return 0;
    }
    inode *node = &v->inodes[f->ino];
    free(node->synced);
    node->synced = copy_of(node->data, node->size);
    node->synced_size = node->size;
    return 0;
}

static int vfs_close(void *ctx, int fd)
{
    vfs *v = ctx;
    open_file *f = call_on(v, fd);
    if (!f)
        return -1;
    f->ino = -2;
    return 0;
}

static int vfs_rename(void *ctx, const char *from, const char *to)
{
    vfs *v = ctx;
    if (power_on(v) != 0)
        return -1;
    entries live = live_folder(v);
    const char *a = base_name(from), *b = base_name(to);
    if (!a || !b || find_entry(&live, a) < 0) {
        errno = ENOENT;
        return -1;
    }
    add_change(v, CHANGE_RENAME, a, b, -1);
    return 0;
}

static int vfs_unlink(void *ctx, const char *path)
{
    vfs *v = ctx;
    if (power_on(v) != 0)
        return -1;
    entries live = live_folder(v);
    const char *name = base_name(path);
    if (!name || find_entry(&live, name) < 0) {
        errno = ENOENT;
        return -1;
    }
    add_change(v, CHANGE_UNLINK, name, NULL, -1);
    return 0;
}

static int vfs_lstat(void *ctx, const char *path, struct stat *st)
{
    vfs *v = ctx;
    if (power_on(v) != 0)
        return -1;
    memset(st, 0, sizeof *st);
    if (strcmp(path, FOLDER) == 0) {
        st->st_mode = S_IFDIR | 0700;
        return 0;
    }
    const char *name = base_name(path);
    entries live = live_folder(v);
    int at = name ? find_entry(&live, name) : -1;
    if (at < 0) {
        errno = ENOENT;
        return -1;
    }
    st->st_mode = S_IFREG | 0600;
    st->st_size = (off_t)v->inodes[live.ino[at]].size;
    return 0;
}

/* A folder holding TARGET with `content`, durable; the power on. */
static void vfs_init(vfs *v, const uint8_t *content, size_t size)
{
    memset(v, 0, sizeof *v);
    v->ops = (nj_file_ops){vfs_open, vfs_write, vfs_read, vfs_fstat, vfs_fsync, vfs_close,
                           vfs_rename, vfs_unlink, vfs_lstat, v};
    for (int fd = 0; fd < MAX_FDS; fd++)
        v->fds[fd].ino = -2;
    v->power_until = 1 << 30;
    v->write_chunk = 4096;
    if (content) {
        int ino = new_inode(v, content, size, 1);
        snprintf(v->durable.name[0], NAME_SIZE, "%s", base_name(TARGET));
        v->durable.ino[0] = ino;
        v->durable.count = 1;
    }
}

static void vfs_free(vfs *v)
{
    for (int i = 0; i < v->inode_count; i++) {
        free(v->inodes[i].data);
        free(v->inodes[i].synced);
    }
}

/* ---- after the cut -------------------------------------------------------- */

typedef struct bytes {
    uint8_t *data;
    size_t size;
} bytes;

typedef struct outcome {
    int states, old, new, torn, tmp_left, not_durable;
} outcome;

enum { CONTENT_SYNCED, CONTENT_WRITTEN, CONTENT_TORN, CONTENT_CHOICES };

/* The disk after a reboot: the folder with `changes` of the pending ones,
 * inode i holding its synced, written or torn content (digit i of
 * `choice` in base 3). Returns 0 if that state is the same as a simpler
 * one (a choice that changes nothing for an inode whose data is synced). */
static int reboot(const vfs *before, int changes, int choice, vfs *after)
{
    vfs_init(after, NULL, 0);
    after->durable = folder_after(before, changes);
    for (int i = 0; i < before->inode_count; i++, choice /= CONTENT_CHOICES) {
        const inode *n = &before->inodes[i];
        int in_sync = n->size == n->synced_size && memcmp(n->data, n->synced, n->size) == 0;
        int pick = choice % CONTENT_CHOICES;
        if (in_sync && pick != CONTENT_SYNCED) {
            vfs_free(after);
            return 0;
        }
        const uint8_t *data = pick == CONTENT_SYNCED ? n->synced : n->data;
        size_t size = pick == CONTENT_SYNCED ? n->synced_size
                      : pick == CONTENT_WRITTEN ? n->size : n->size / 2;
        new_inode(after, data, size, 1);
    }
    return 1;
}

static int same_bytes(const vfs *v, int ino, bytes b)
{
    const inode *n = &v->inodes[ino];
    return n->size == b.size && memcmp(n->data, b.data, b.size) == 0;
}

/* What is saved, and what a cut may leave instead. */
typedef struct save_case {
    bytes old_bytes, new_bytes;
    int is_snapshot; /* the new file must then also load */
} save_case;

/* Judges one rebooted disk: TARGET must be the old file or the new one, and
 * a new snapshot must load through the folder's table. */
static void judge(vfs *disk, const save_case *sc, int saved, outcome *o)
{
    o->states++;
    const entries *e = &disk->durable;
    int at = find_entry(e, base_name(TARGET));
    int tmp = find_entry(e, base_name(TARGET ".tmp"));
    assert_true(e->count == (at >= 0) + (tmp >= 0)); /* no other name appears */
    o->tmp_left += tmp >= 0;
    if (at >= 0 && same_bytes(disk, e->ino[at], sc->new_bytes)) {
        if (sc->is_snapshot) {
            nj_registry *reg = NULL;
            char msg[MSG_SIZE];
            assert_int_equal(nj_snapshot_load_file_ops(TARGET, &nj_alloc_default, &disk->ops,
                                                       &reg, msg, sizeof msg), NJ_OK);
            nj_registry_destroy(reg);
        }
        o->new++;
    } else if (at >= 0 && same_bytes(disk, e->ino[at], sc->old_bytes)) {
        o->old++;
        o->not_durable += saved;
    } else {
        o->torn++;
    }
}

/* Every disk state a cut after the last call can leave. */
static void judge_every_state(const vfs *v, const save_case *sc, int saved, outcome *o)
{
    int choices = 1;
    for (int i = 0; i < v->inode_count; i++)
        choices *= CONTENT_CHOICES;
    for (int changes = 0; changes <= v->pending_count; changes++)
        for (int choice = 0; choice < choices; choice++) {
            vfs disk;
            if (!reboot(v, changes, choice, &disk))
                continue;
            judge(&disk, sc, saved, o);
            vfs_free(&disk);
        }
}

/* ---- savers --------------------------------------------------------------- */

typedef int (*saver_fn)(vfs *v, const nj_registry *reg, bytes b);

static int library_saver(vfs *v, const nj_registry *reg, bytes b)
{
    (void)b;
    char msg[MSG_SIZE];
    return nj_snapshot_save_file_ops(reg, TARGET, &v->ops, msg, sizeof msg) == NJ_OK;
}

static int csv_export_saver(vfs *v, const nj_registry *reg, bytes b)
{
    (void)b;
    char msg[MSG_SIZE];
    return nj_csv_export_file_ops(reg, NJ_CSV_PARTICIPANTS, TARGET, &v->ops, msg,
                                  sizeof msg) == NJ_OK;
}

static int write_whole(vfs *v, int fd, bytes b)
{
    for (size_t done = 0; done < b.size;) {
        ssize_t n = v->ops.write(v, fd, b.data + done, b.size - done);
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

/* Negative control: truncates and rewrites the file itself. */
static int in_place_saver(vfs *v, const nj_registry *reg, bytes b)
{
    (void)reg;
    int fd = v->ops.open(v, TARGET, O_WRONLY | O_TRUNC, 0);
    return fd >= 0 && write_whole(v, fd, b) == 0 && v->ops.fsync(v, fd) == 0 &&
           v->ops.close(v, fd) == 0;
}

/* Negative controls: the atomic rename without one of its two fsyncs. */
static int rename_saver(vfs *v, bytes b, int sync_file, int sync_folder)
{
    int fd = v->ops.open(v, TARGET ".tmp", O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0 || write_whole(v, fd, b) != 0 || (sync_file && v->ops.fsync(v, fd) != 0) ||
        v->ops.close(v, fd) != 0 || v->ops.rename(v, TARGET ".tmp", TARGET) != 0)
        return 0;
    if (!sync_folder)
        return 1;
    int dir = v->ops.open(v, FOLDER, O_RDONLY | O_DIRECTORY, 0);
    return dir >= 0 && v->ops.fsync(v, dir) == 0 && v->ops.close(v, dir) == 0;
}

static int no_file_sync_saver(vfs *v, const nj_registry *reg, bytes b)
{
    (void)reg;
    return rename_saver(v, b, 0, 1);
}

static int no_folder_sync_saver(vfs *v, const nj_registry *reg, bytes b)
{
    (void)reg;
    return rename_saver(v, b, 1, 0);
}

/* Runs `saver` with the power cut after each call in turn (and once not
 * at all) and judges every state each cut can leave. */
static outcome cut_after_each_call(saver_fn saver, const nj_registry *reg,
                                   const save_case *sc, int *calls)
{
    outcome o = {0};
    vfs v;
    vfs_init(&v, sc->old_bytes.data, sc->old_bytes.size);
    assert_true(saver(&v, reg, sc->new_bytes));
    *calls = v.calls;
    vfs_free(&v);
    for (int cut = 0; cut <= *calls; cut++) {
        vfs_init(&v, sc->old_bytes.data, sc->old_bytes.size);
        v.power_until = cut;
        int saved = saver(&v, reg, sc->new_bytes);
        assert_int_equal(saved, cut == *calls);
        judge_every_state(&v, sc, saved, &o);
        vfs_free(&v);
    }
    return o;
}

/* ---- the registries ------------------------------------------------------- */

static nj_registry *registry_of(int participants)
{
    nj_registry *reg = NULL;
    assert_int_equal(nj_registry_create(&reg), NJ_OK);
    for (int64_t id = 1; id <= participants; id++)
        assert_int_equal(nj_participant_add(reg, id, 19800101, 0, 35.1 + (double)id * 1e-5,
                                            126.8, 20230101, 0, NULL), NJ_OK);
    return reg;
}

static bytes snapshot_of(const nj_registry *reg)
{
    bytes b = {NULL, 0};
    assert_int_equal(nj_snapshot_save_mem(reg, NULL, 0, &b.size), NJ_E_BUFFER_TOO_SMALL);
    b.data = malloc(b.size);
    assert_non_null(b.data);
    assert_int_equal(nj_snapshot_save_mem(reg, b.data, b.size, &b.size), NJ_OK);
    return b;
}

static void print_outcome(const char *who, const save_case *sc, int calls, outcome o)
{
    printf("# %s of %zu bytes, power cut after each of %d calls: %d disk states, %d old, "
           "%d new, %d torn, %d not durable after success (%d kept a .tmp)\n",
           who, sc->new_bytes.size, calls, o.states, o.old, o.new, o.torn, o.not_durable,
           o.tmp_left);
}

/* ---- tests ---------------------------------------------------------------- */

static void snapshot_save_survives_power_loss(void **state)
{
    (void)state;
    nj_registry *old_reg = registry_of(1), *new_reg = registry_of(600);
    save_case sc = {snapshot_of(old_reg), snapshot_of(new_reg), 1};
    assert_true(sc.new_bytes.size > 3 * 4096); /* written in at least four calls */
    int calls;
    outcome o = cut_after_each_call(library_saver, new_reg, &sc, &calls);
    print_outcome("snapshot save", &sc, calls, o);
    /* lstat, open, a write per 4 KiB, fsync, close, rename, open, fsync, close */
    assert_int_equal(calls, 8 + (int)((sc.new_bytes.size + 4095) / 4096));
    assert_int_equal(o.torn, 0);
    assert_int_equal(o.not_durable, 0);
    assert_true(o.old > 0 && o.new > 0);
    assert_true(o.tmp_left > 0); /* a cut between the open and the rename */
    assert_int_equal(o.states, o.old + o.new);
    free(sc.old_bytes.data);
    free(sc.new_bytes.data);
    nj_registry_destroy(old_reg);
    nj_registry_destroy(new_reg);
}

/* CSV export shares the save: the file is the old one or the whole new CSV. */
static void csv_export_survives_power_loss(void **state)
{
    (void)state;
    nj_registry *reg = registry_of(300);
    vfs v;
    vfs_init(&v, NULL, 0);
    assert_true(csv_export_saver(&v, reg, (bytes){NULL, 0}));
    const inode *written = &v.inodes[0]; /* the only file: TARGET.tmp, renamed */
    static const uint8_t old_csv[] = "id\n";
    save_case sc = {{(uint8_t *)old_csv, sizeof old_csv - 1},
                    {copy_of(written->data, written->size), written->size}, 0};
    vfs_free(&v);
    assert_true(sc.new_bytes.size > 4096);
    assert_memory_equal(sc.new_bytes.data, "\xEF\xBB\xBFid,", 6); /* BOM, header */
    int calls;
    outcome o = cut_after_each_call(csv_export_saver, reg, &sc, &calls);
    print_outcome("CSV export", &sc, calls, o);
    assert_int_equal(calls, 8 + (int)((sc.new_bytes.size + 4095) / 4096));
    assert_int_equal(o.torn, 0);
    assert_int_equal(o.not_durable, 0);
    assert_true(o.old > 0 && o.new > 0);
    free(sc.new_bytes.data);
    nj_registry_destroy(reg);
}

/* The harness catches each way of getting it wrong. */
static void negative_controls_are_caught(void **state)
{
    (void)state;
    nj_registry *old_reg = registry_of(1), *new_reg = registry_of(600);
    save_case sc = {snapshot_of(old_reg), snapshot_of(new_reg), 1};
    int calls;
    outcome o = cut_after_each_call(in_place_saver, new_reg, &sc, &calls);
    print_outcome("in-place writer", &sc, calls, o);
    assert_true(o.torn > 0);

    o = cut_after_each_call(no_file_sync_saver, new_reg, &sc, &calls);
    print_outcome("rename without the file's fsync", &sc, calls, o);
    assert_true(o.torn > 0);

    o = cut_after_each_call(no_folder_sync_saver, new_reg, &sc, &calls);
    print_outcome("rename without the folder's fsync", &sc, calls, o);
    assert_int_equal(o.torn, 0);
    assert_true(o.not_durable > 0);
    free(sc.old_bytes.data);
    free(sc.new_bytes.data);
    nj_registry_destroy(old_reg);
    nj_registry_destroy(new_reg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(snapshot_save_survives_power_loss),
        cmocka_unit_test(csv_export_survives_power_loss),
        cmocka_unit_test(negative_controls_are_caught),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
