/**
 * @file nearjob/registry.h
 * @brief The registry: creation, destruction, the last error message and
 *        the registry's options.
 *
 * A registry owns every region, facility, posting and participant added to
 * it. Destroying it frees them all and invalidates every handle.
 *
 * Thread safety: a registry is not locked internally. Functions taking a
 * `const nj_registry *` (or a const handle) are read-only and may run from
 * many threads at once on an unchanged registry; any other call needs
 * exclusive access. docs/threading.md lists the read-only functions.
 */
#ifndef NEARJOB_REGISTRY_H
#define NEARJOB_REGISTRY_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Create an empty registry that allocates with the C library's malloc.
 *
 * @param[out] out receives the registry; set to NULL on failure.
 * @return NJ_OK, NJ_E_INVALID (out is NULL) or NJ_E_NOMEM.
 * @since 0.1
 */
NJ_API nj_status nj_registry_create(nj_registry **out);

/**
 * Create an empty registry whose every allocation goes through the given
 * hooks. All three hooks are required; `user` is passed to each call and may
 * be NULL. The hooks must stay callable until nj_registry_destroy() returns.
 *
 * @param[in] malloc_fn   allocates
 * @param[in] realloc_fn  resizes
 * @param[in] free_fn     frees
 * @param[in] user        passed through to the hooks
 * @param[out] out        receives the registry; set to NULL on failure.
 * @return NJ_OK, NJ_E_INVALID (a hook or out is NULL) or NJ_E_NOMEM.
 * @since 0.1
 */
NJ_API nj_status nj_registry_create_with_allocator(nj_malloc_fn malloc_fn,
                                                   nj_realloc_fn realloc_fn,
                                                   nj_free_fn free_fn,
                                                   void *user,
                                                   nj_registry **out);

/**
 * Destroy a registry and everything it owns. Every handle obtained from it
 * becomes invalid. `nj_registry_destroy(NULL)` does nothing.
 * @since 0.1
 */
NJ_API void nj_registry_destroy(nj_registry *reg);

/**
 * Detailed English message of the most recent failed call on this registry,
 * naming the object, the field and the limit, for example
 * "participant 42: latitude 91.5 outside [-90, 90]". Successful calls leave
 * it unchanged; it is "" when nothing has failed yet.
 *
 * Read-only functions never write the message, so concurrent readers do not
 * race on it.
 *
 * @return a string owned by the registry, valid until the next failing call
 *         on it or its destruction; "" when reg is NULL.
 * @since 0.1
 */
NJ_API const char *nj_registry_errmsg(const nj_registry *reg);

/**
 * Set a registry option: a tunable of the whole registry, named by an
 * option value of a topic header (the ledger's NJ_OPT_* in
 * nearjob/stipend.h, the import limits in nearjob/io.h). New options are
 * new values, never a changed function (docs/abi.md).
 *
 * The ledger's cap, period start and rounding can only change while the
 * ledger is empty (NJ_E_IN_USE otherwise), so a statement never changes
 * under an auditor's feet; the budget and the import limits can change any
 * time.
 * @return NJ_OK, NJ_E_INVALID (NULL reg), NJ_E_UNSUPPORTED (unknown
 *         option), NJ_E_RANGE (outside nj_option_bounds()), NJ_E_IN_USE.
 * @since 0.1
 */
NJ_API nj_status nj_registry_set_int64(nj_registry *reg, int32_t option,
                                       int64_t value);

/** Read an option. @return NJ_OK, NJ_E_INVALID or NJ_E_UNSUPPORTED. Read-only. @since 0.1 */
NJ_API nj_status nj_registry_get_int64(const nj_registry *reg, int32_t option,
                                       int64_t *value);

/**
 * Bounds of an option's values (NJ_OPT_PERIOD_START_MMDD also requires a
 * real month and day other than 29 February).
 * @return NJ_OK, NJ_E_INVALID (NULL pointer) or NJ_E_UNSUPPORTED.
 * Thread-safe. @since 0.1
 */
NJ_API nj_status nj_option_bounds(int32_t option, int64_t *min,
                                  int64_t *max);

#ifdef __cplusplus
}
#endif

#endif /* NEARJOB_REGISTRY_H */
