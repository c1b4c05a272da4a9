/**
 * @file nearjob.h
 * @brief nearjob: short public jobs at local facilities, matched to the
 *        residents who live near them, paid under a per-person hour cap,
 *        and counted against a municipality's job targets.
 *
 * The one header a user includes. See docs/concepts.md for the object model
 * and docs/errors.md for every status code.
 */
#ifndef NEARJOB_H
#define NEARJOB_H

#include "nearjob/common.h"
#include "nearjob/registry.h"
#include "nearjob/region.h"
#include "nearjob/facility.h"
#include "nearjob/posting.h"
#include "nearjob/participant.h"
#include "nearjob/match.h"
#include "nearjob/application.h"
#include "nearjob/stipend.h"
#include "nearjob/stats.h"
#include "nearjob/snapshot.h"
#include "nearjob/io.h"

#endif /* NEARJOB_H */
