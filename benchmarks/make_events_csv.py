#!/usr/bin/env python3
"""Writes a synthetic event log and edge list for benchmarking `mic import`.

The event log has a header `user,cascade,time` and N events (default 1,000,000) in time order:
string user names ("u123", activity skewed like a Zipf law), hashtag cascades ("#tag45", also
skewed), and times either numeric (seconds, with a fractional part) or ISO-8601 UTC timestamps.
The edge list has a header `source,target` (source influences target): every user follows
--follows distinct other users, more active users being followed more often. Not a model
simulation (that is `mic generate`): just realistic-looking input of a chosen size.

Deterministic for a given --seed; standard library only.

    python3 benchmarks/make_events_csv.py --out-events /tmp/events.csv --out-edges /tmp/edges.csv
"""
import argparse
import bisect
import itertools
import random
import time


def zipf_cumulative_weights(n, exponent):
    return list(itertools.accumulate(1.0 / (k + 1) ** exponent for k in range(n)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="number of events (default 1,000,000)")
    parser.add_argument("--users", type=int, default=None, help="number of users (default events / 100)")
    parser.add_argument("--cascades", type=int, default=1000, help="number of hashtags (default 1000)")
    parser.add_argument("--follows", type=int, default=10, help="in-neighbours per user (default 10)")
    parser.add_argument("--days", type=float, default=30.0, help="length of the log in days (default 30)")
    parser.add_argument("--times", choices=("numeric", "iso"), default="numeric", help="time format (default numeric)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out-events", required=True, help="event log to write (CSV)")
    parser.add_argument("--out-edges", default=None, help="edge list to write (CSV); none if omitted")
    args = parser.parse_args()

    n_users = args.users if args.users is not None else max(2, args.events // 100)
    rng = random.Random(args.seed)
    user_weights = zipf_cumulative_weights(n_users, 0.8)
    cascade_weights = zipf_cumulative_weights(args.cascades, 1.0)
    # Names are shuffled so that activity rank and name order are unrelated.
    user_names = [f"u{k}" for k in range(n_users)]
    rng.shuffle(user_names)

    span = args.days * 86400.0
    times = sorted(rng.uniform(0.0, span) for _ in range(args.events))
    users = rng.choices(range(n_users), cum_weights=user_weights, k=args.events)
    cascades = rng.choices(range(args.cascades), cum_weights=cascade_weights, k=args.events)
    epoch_2024 = 1704067200  # 2024-01-01T00:00:00Z

    with open(args.out_events, "w", newline="") as out:
        out.write("user,cascade,time\n")
        lines = []
        for u, c, t in zip(users, cascades, times):
            if args.times == "iso":
                stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch_2024 + int(t)))
                lines.append(f"{user_names[u]},#tag{c},{stamp}.{int((t % 1) * 1000):03d}Z\n")
            else:
                lines.append(f"{user_names[u]},#tag{c},{t:.3f}\n")
            if len(lines) >= 65536:
                out.writelines(lines)
                lines.clear()
        out.writelines(lines)

    if args.out_edges:
        follows = min(args.follows, n_users - 1)
        total = user_weights[-1]
        with open(args.out_edges, "w", newline="") as out:
            out.write("source,target\n")
            for target in range(n_users):
                sources = set()
                while len(sources) < follows:
                    s = bisect.bisect_left(user_weights, rng.random() * total)
                    if s != target:
                        sources.add(min(s, n_users - 1))
                out.writelines(f"{user_names[s]},{user_names[target]}\n" for s in sorted(sources))


if __name__ == "__main__":
    main()
