#!/usr/bin/env python3
"""Pairs requests with their replies in an eixm audit log, from what the recipients did, not what the router counted.

    scripts/check-replies.py AUDIT_FOLDER SETTLED_FROM NODE [NODE ...]

Among the NODEs (eixm node processes whose behaviour answers every request with one reply): a request acted on twice
has two replies; a request forgotten (lost, or acknowledged and then forgotten in a crash) has none. Every request
between the NODEs accepted before SETTLED_FROM (an RFC 3339 real time after which nothing was broken on purpose and
the answers had time to come) must have exactly one reply, and no request may have more. Prints the counts and the
first offenders; exits 1 when a request is answered twice or forgotten, or when no request was due at all.
"""
import glob
import json
import sys

folder, settled_from, nodes = sys.argv[1], sys.argv[2], set(sys.argv[3:])
# Replies by the request they answer, each reply counted once by its ID: a reply that the router accepted twice (its
# first acceptance lost with the spool's commit in a crash, then its resend) is one reply, not two.
requests, replies = {}, {}
for path in sorted(glob.glob(folder + "/audit-*.jsonl")):
    with open(path, encoding="utf-8") as segment:
        for number, line in enumerate(segment, 1):
            try:
                record = json.loads(line)
            except ValueError as error:
                sys.exit(f"{path} line {number}: not JSON ({error})")
            if record.get("event") != "accepted" or record.get("sender") not in nodes:
                continue
            if record.get("msg_type") == "REQUEST" and set(record.get("recipients", [])) <= nodes:
                requests[record["message_id"]] = record["real_time"]
            elif record.get("msg_type") == "REPLY" and record.get("in_reply_to"):
                replies.setdefault(record["in_reply_to"], set()).add(record["message_id"])
twice = [request for request, ids in replies.items() if len(ids) > 1]
due = [request for request, accepted in requests.items() if accepted <= settled_from]
forgotten = [request for request in due if not replies.get(request)]
print(
    f"{len(requests)} requests accepted between {len(nodes)} node processes, "
    f"{sum(len(ids) for ids in replies.values())} replies; "
    f"answered twice: {len(twice)}; accepted before {settled_from} and never answered: {len(forgotten)} of {len(due)}"
)
for request in (twice + forgotten)[:10]:
    print(f"  request {request}: {len(replies.get(request, ()))} replies")
sys.exit(1 if twice or forgotten or not due else 0)
