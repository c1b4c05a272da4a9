#include "nearjob/common.h"

_Static_assert(sizeof(nj_status) == 4, "nj_status is pinned to 32 bits");

const char *nj_status_str(nj_status status)
{
    switch (status) {
    case NJ_OK: return "NJ_OK: success";
    case NJ_E_INVALID: return "NJ_E_INVALID: invalid argument";
    case NJ_E_NOMEM: return "NJ_E_NOMEM: out of memory";
    case NJ_E_NOT_FOUND: return "NJ_E_NOT_FOUND: not found";
    case NJ_E_EXISTS: return "NJ_E_EXISTS: already exists";
    case NJ_E_RANGE: return "NJ_E_RANGE: value out of range";
    case NJ_E_INELIGIBLE: return "NJ_E_INELIGIBLE: not eligible";
    case NJ_E_CLOSED: return "NJ_E_CLOSED: closed";
    case NJ_E_CAP: return "NJ_E_CAP: cap reached";
    case NJ_E_IO: return "NJ_E_IO: input/output error";
    case NJ_E_CORRUPT: return "NJ_E_CORRUPT: corrupt data";
    case NJ_E_VERSION: return "NJ_E_VERSION: unsupported version";
    case NJ_E_ENCODING: return "NJ_E_ENCODING: invalid text encoding";
    case NJ_E_BUFFER_TOO_SMALL: return "NJ_E_BUFFER_TOO_SMALL: buffer too small";
    case NJ_E_UNSUPPORTED: return "NJ_E_UNSUPPORTED: unsupported";
    case NJ_E_IN_USE: return "NJ_E_IN_USE: object in use";
    default: return "unknown status";
    }
}

int32_t nj_version_number(void)
{
    return NJ_VERSION_NUMBER;
}

const char *nj_version_string(void)
{
    return NJ_VERSION_STRING;
}
