/**
 * @file nearjob/common.h
 * @brief Export macro, version macros, status codes, opaque handle types and
 *        allocator hooks shared by every nearjob header.
 *
 * Include `nearjob.h` rather than this file directly.
 */
#ifndef NEARJOB_COMMON_H
#define NEARJOB_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * NJ_API marks every exported function. Shared builds export only what
 * carries it (the library is compiled with -fvisibility=hidden and a linker
 * version script); static builds define NJ_STATIC.
 */
#if defined(_WIN32) && !defined(NJ_STATIC)
#  ifdef NJ_BUILDING
#    define NJ_API __declspec(dllexport)
#  else
#    define NJ_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && !defined(NJ_STATIC)
#  define NJ_API __attribute__((visibility("default")))
#else
#  define NJ_API
#endif

/** Major version: changes when the ABI breaks (from 1.0 on). */
#define NJ_VERSION_MAJOR 0
/** Minor version: new functions, no break. */
#define NJ_VERSION_MINOR 1
/** Patch version: fixes only. */
#define NJ_VERSION_PATCH 0
/** MAJOR * 10000 + MINOR * 100 + PATCH, comparable with nj_version_number(). */
#define NJ_VERSION_NUMBER \
    (NJ_VERSION_MAJOR * 10000 + NJ_VERSION_MINOR * 100 + NJ_VERSION_PATCH)
/** The version as text, equal to what nj_version_string() returns. */
#define NJ_VERSION_STRING "0.1.0"

/**
 * Result of every fallible function. The values are pinned: a released value
 * never changes meaning and new codes are only appended.
 */
typedef int32_t nj_status;

/** The values an nj_status can take. See docs/errors.md for when each occurs. */
enum nj_status_code {
    NJ_OK = 0,                  /**< success */
    NJ_E_INVALID = 1,           /**< an argument is malformed (NULL, bad enum, bad date, NaN, wrong registry) */
    NJ_E_NOMEM = 2,             /**< an allocation failed; nothing was changed */
    NJ_E_NOT_FOUND = 3,         /**< no object with that id */
    NJ_E_EXISTS = 4,            /**< an object with that id already exists */
    NJ_E_RANGE = 5,             /**< a value is outside its documented range, or arithmetic would overflow */
    NJ_E_INELIGIBLE = 6,        /**< the participant does not meet the posting's eligibility rules */
    NJ_E_CLOSED = 7,            /**< the posting or application window is closed */
    NJ_E_CAP = 8,               /**< a stipend or budget cap has been reached */
    NJ_E_IO = 9,                /**< a file operation failed */
    NJ_E_CORRUPT = 10,          /**< stored or imported data is malformed */
    NJ_E_VERSION = 11,          /**< data written by a newer, incompatible version */
    NJ_E_ENCODING = 12,         /**< text is not valid UTF-8 (or the declared encoding) */
    NJ_E_BUFFER_TOO_SMALL = 13, /**< a caller buffer is too small; the needed size was reported */
    NJ_E_UNSUPPORTED = 14,      /**< an unknown option or a feature not built in */
    NJ_E_IN_USE = 15            /**< the object is still referenced and cannot be removed */
};

/** A registry: the in-memory database of one programme. */
typedef struct nj_registry nj_registry;
/** An administrative area (province, district or neighbourhood). */
typedef struct nj_region nj_region;
/** A public facility that posts jobs. */
typedef struct nj_facility nj_facility;
/** A job posting at a facility. */
typedef struct nj_posting nj_posting;
/** A resident who may apply for postings. */
typedef struct nj_participant nj_participant;

/**
 * Allocator hooks, passed to nj_registry_create_with_allocator(). They follow
 * the C library's contracts: malloc_fn(0) may return NULL or a unique pointer,
 * realloc_fn(NULL, n) behaves like malloc_fn(n), free_fn(NULL) does nothing.
 * `user` is the pointer given at registry creation.
 */
typedef void *(*nj_malloc_fn)(size_t size, void *user);
/** See nj_malloc_fn. */
typedef void *(*nj_realloc_fn)(void *ptr, size_t size, void *user);
/** See nj_malloc_fn. */
typedef void (*nj_free_fn)(void *ptr, void *user);

/**
 * Static English name of a status code ("NJ_E_NOT_FOUND: not found").
 *
 * @param status any value; unknown codes give "unknown status".
 * @return a static string, never NULL.
 * Thread-safe. @since 0.1
 */
NJ_API const char *nj_status_str(nj_status status);

/**
 * Version of the library actually loaded at run time, as
 * MAJOR * 10000 + MINOR * 100 + PATCH. Compare with NJ_VERSION_NUMBER to
 * detect a header/library mismatch.
 * Thread-safe. @since 0.1
 */
NJ_API int32_t nj_version_number(void);

/**
 * Version of the library loaded at run time, as "MAJOR.MINOR.PATCH".
 * @return a static string. Thread-safe. @since 0.1
 */
NJ_API const char *nj_version_string(void);

#ifdef __cplusplus
}
#endif

#endif /* NEARJOB_COMMON_H */
