"""What each keyword of the language means, as a hover shows it, and where each kind fits."""

from __future__ import annotations

from ..nodes import CHANNELS

#: keyword → (its syntax, what it does). Every keyword of the grammar has one (tested).
KEYWORDS: dict[str, tuple[str, str]] = {
    "journey": ('journey NAME [version N] { … }',
                "A journey version: its properties, its entry, then its statements. All the "
                "versions of a journey share its NAME; N is 1 by default."),
    "version": ("journey NAME version N { … }",
                "The version number of a journey, a positive integer (1 by default)."),
    "profile": ("profile { name: type, … }  ·  profile.PATH",
                "The schema of profile attributes, or, in an expression, the profile's "
                "attributes (`profile.id` always exists). A missing attribute is `null`."),
    "event": ("event NAME { field: type, … }  ·  on event NAME  ·  event.PATH",
              "The schema of an event's data; after `on`, `for` or `exit on`, an event's name; "
              "in an expression, the event bound there."),
    "audience": ('audience NAME = EXPR  ·  read audience NAME',
                 "A named audience: the profiles for which the predicate is true. "
                 "`read audience` enters them into a journey."),
    "on": ("on event NAME [where EXPR]",
           "The unitary entry: each matching event of a profile starts an instance for it, "
           "subject to the re-entry rules. `event` is bound to it."),
    "read": ("read audience NAME [at DATETIME | every DURATION [starting DATETIME] "
             "[until DATETIME]] [rate N/s]",
             "The batch entry: at the scheduled times every profile in the audience enters, "
             "`rate` a second (5000 unless said); without a schedule, once at the "
             "simulation's start."),
    "at": ("read audience NAME at DATETIME", "The instant of a single audience read."),
    "every": ("read audience NAME every DURATION [starting DATETIME]",
              "A recurring audience read, at least an hour apart."),
    "starting": ("read audience NAME every DURATION starting DATETIME",
                 "The first instant of a recurring audience read."),
    "where": ("on event NAME where EXPR",
              "A condition on the event: only events for which it is true count."),
    "reentry": ("reentry never | always | after DURATION",
                "When a profile may enter the journey again (default `never`). A profile is "
                "never in a journey twice at the same time."),
    "never": ("reentry never", "A profile enters the journey once, ever (the default)."),
    "always": ("reentry always",
               "A profile may enter again as soon as its previous instance has ended."),
    "after": ("reentry after DURATION",
              "A profile may enter again once DURATION (at most 90d) has passed since its "
              "previous entry, and its previous instance has ended."),
    "timeout": ("timeout DURATION  ·  on timeout { … }",
                "The journey's global timeout (default and maximum 91d): every instance ends "
                "at the latest then. After a `wait for event … within`, the block run when "
                "no event came in time."),
    "timezone": ('timezone "Area/City"',
                 'The IANA time zone of local times in the journey (default "UTC").'),
    "exit": ("exit  ·  exit on event NAME [where EXPR]  ·  exit when EXPR",
             "As a statement, ends the profile's instance at once, all branches. As a "
             "property, an exit criterion: leave at once when the event arrives, or when the "
             "condition is true before a send, call or set."),
    "holdout": ("holdout P%",
                "Keeps P% of the profiles out at entry, deterministically, to measure lift."),
    "send": ('send CHANNEL "message" [with { k: EXPR, … }]',
             "Records a message to the profile on a channel; suppressed when "
             "`profile.consent.CHANNEL` is false."),
    "with": ("… with { k: EXPR, … }", "The data sent with a message, a call or a fetch."),
    "call": ('[let NAME =] call "action" [with { … }] [on error { … }]',
             "A custom action (a third-party API); `let NAME = call …` binds its response "
             "(`null` when it failed). A failure takes the `on error` block, or ends the path "
             "if there is none."),
    "jump": ('jump "JOURNEY"',
             "Pushes the profile into the newest live version of another journey (one that "
             "starts with `on event`); its re-entry rules apply, and the path goes on."),
    "campaign": ('campaign "name" { read audience "…" … }',
                 "An orchestrated campaign: each read of its audience is one execution whose "
                 "population moves together; its `join` waits for every branch's whole "
                 "population (docs/campaigns.md)."),
    "keep": ("keep where EXPR", "In a campaign, the members for whom the condition is true "
             "go on; the others leave the population."),
    "exclude": ('exclude audience "name"', "In a campaign, the members of the audience leave "
                "the population."),
    "intersect": ('intersect audience "name"', "In a campaign, only the members of the "
                  "audience go on."),
    "save": ('save audience "name" [append]', "In a campaign, the population here replaces "
             "the audience (or, with `append`, is added to it); later executions, campaigns "
             "and journeys read it, and `--audiences-out` writes it."),
    "append": ('save audience "name" append', "Adds the population to the saved audience "
               "instead of replacing it."),
    "action": ('action "name" { rate N/s  cap N per DURATION  response { … } }',
               "Declares a custom action: its throughput limits, shared by every journey, and "
               "the schema of its response."),
    "rate": ("rate N/s | N/min | N/h",
             "In an action, at most N calls start per period (calls over it queue, for at most "
             "6h); in an audience read, members enter N per second."),
    "cap": ("cap N per DURATION",
            "In an action, at most N calls in each window of DURATION from the run's start; "
            "calls beyond fail with the error `capped`."),
    "per": ("cap N per DURATION", "The window of a cap."),
    "response": ("response { field: type, … }",
                 "The schema of an action's response, which types `let r = call …`."),
    "error": ('call "action" … on error { … }', "The block run when a custom action fails."),
    "if": ("if EXPR { … } [else if EXPR { … }]* [else { … }]",
           "A data condition; a `null` condition is false."),
    "else": ("if EXPR { … } else { … }", "The block run when no condition before it holds."),
    "split": ("split { P% { … } P% { … } … }",
              "A percentage split (A/B); the percentages sum to 100, and a profile's arm is a "
              "deterministic function of the seed, the journey, the split and the profile."),
    "wait": ("wait DURATION  ·  wait until … ·  wait for event NAME …",
             "Pauses the path: for a duration, until an instant or local time, or until the "
             "profile's next matching event."),
    "until": ("wait until DATETIME | HH:MM | EXPR  ·  read audience … every D until DATETIME",
              "Resumes at that instant; a local time means the next time the journey's clock "
              "shows it. A past instant resumes at once. After a recurring read, its last "
              "instant (a read due exactly then happens)."),
    "for": ("wait for event NAME [where EXPR] [within DURATION] [{ … }] [on timeout { … }]",
            "Waits for the profile's next matching event; its block runs with `event` bound "
            "to it, `on timeout` when none came in time."),
    "within": ("wait for event NAME within DURATION",
               "How long a `wait for event` lasts; without it, until the journey's timeout."),
    "fork": ("fork { branch NAME [when EXPR] { … } … }",
             "Runs the branches in parallel for the same profile. Statements after a fork "
             "need a `join`."),
    "branch": ("branch NAME [when EXPR] { … }",
               "A branch of a `fork`; one whose `when` is false is skipped."),
    "when": ("branch NAME when EXPR { … }  ·  exit when EXPR",
             "The condition of a branch, or of an exit criterion."),
    "join": ("join NAME, NAME … [primary NAME]",
             "Directly after a `fork`: waits until every named branch has arrived, was "
             "skipped or ended on the way, then continues for who came through the primary "
             "branch (or through any named branch, without `primary`)."),
    "primary": ("join NAME, … primary NAME",
                "The branch a profile must come through to continue after the join."),
    "let": ("let NAME = EXPR  ·  let NAME = fetch SOURCE [with { … }]  ·  let NAME = call …",
            "Binds a value for the rest of the path."),
    "fetch": ('let NAME = fetch "source" [with { … }]',
              "Asks a data source (in a simulation, its fixture); `null` when it has no answer."),
    "set": ("set profile.PATH = EXPR",
            "Updates the profile, visible to every journey from then on."),
    "test": ('test "NAME" { givens…  expectations… }',
             "A test of the workspace's journeys: a fresh, seeded simulation with only what the "
             "test gives, then its expectations (`journey test`; docs/testing.md)."),
    "start": ("start INSTANT", "In a test, when its run starts."),
    "seed": ("seed N", "In a test, the seed of its run's draws."),
    "fixture": ('fixture "SOURCE" [with { … }] = VALUE  ·  fixture call "ACTION" fails',
                "In a test, what a data source answers, or an action whose calls fail."),
    "fails": ('fixture call "ACTION" fails', "In a test, every call of the action fails."),
    "publish": ('publish "JOURNEY" [version N] at INSTANT',
                "In a test, a lifecycle step: the version goes live then."),
    "close": ('close "JOURNEY" [version N] at INSTANT',
              "In a test, a lifecycle step: the version takes no new entries from then."),
    "stop": ('stop "JOURNEY" [version N] at INSTANT',
             "In a test, a lifecycle step: the version's instances end then."),
    "expect": ('expect …', "In a test, what its run must show; a failing one is reported at its "
               "line with what happened instead."),
    "gets": ('expect "ID" gets [no] CHANNEL ["MESSAGE"] [at T | between T and T]',
             "The profile got (or did not get) the message: delivered, not suppressed."),
    "no": ('expect "ID" gets no CHANNEL ["MESSAGE"]', "The profile got no such message."),
    "between": ("… between INSTANT and INSTANT", "A window of time, both ends included."),
    "suppressed": ('expect "ID" suppressed CHANNEL "MESSAGE" [because REASON]',
                   "The profile's message was suppressed."),
    "because": ("… because REASON", "The reason of a rejection, an exit or a suppression."),
    "enters": ('expect "ID" enters "JOURNEY" [version N]', "The profile entered the journey."),
    "rejected": ('expect "ID" rejected from "JOURNEY" [because REASON]',
                 "An entry of the profile was rejected."),
    "from": ('expect "ID" rejected from "JOURNEY"', "The journey an entry was rejected from."),
    "exits": ('expect "ID" exits "JOURNEY" [because REASON]', "The profile left the journey."),
    "sent": ('expect sent CHANNEL ["MESSAGE"] OP N', "How many such messages were delivered."),
    "reached": ('expect [never] reached "JOURNEY" line N | label NAME',
                "Whether some profile reached the statement."),
    "line": ('expect reached "JOURNEY" line N', "The statement that starts on that line."),
    "label": ('expect reached "JOURNEY" label NAME',
              "The statement labelled by a comment `# label: NAME`."),
    "true": ("true", "The boolean true."),
    "false": ("false", "The boolean false."),
    "null": ("null", "No value: a missing attribute, a fetch without an answer."),
    "and": ("EXPR and EXPR", "True when both sides are."),
    "or": ("EXPR or EXPR", "True when either side is."),
    "not": ("not EXPR", "True when the expression is false."),
    "in": ("EXPR in LIST", "Whether the list (or string) contains the value."),
    **{channel: (f'send {channel} "message"', f"The {channel} channel; its consent attribute "
                 f"is `profile.consent.{channel}`.") for channel in CHANNELS},
}

#: Where each kind of keyword fits, for completion.
DECLARATIONS = ("journey", "campaign", "profile", "event", "audience", "action", "test")
PROPERTIES = ("reentry", "timeout", "timezone", "exit on event", "exit when", "holdout")
ENTRIES = ("on event", "read audience")
STATEMENTS = ("send", "call", "jump", "if", "else", "split", "wait", "wait until", "wait for event",
              "fork", "branch", "join", "let", "set", "exit")
#: The set activities, which only a campaign's statements take.
SET_ACTIVITIES = ("keep where", "exclude audience", "intersect audience", "save audience")
EXPRESSION_WORDS = ("profile", "event", "true", "false", "null", "not")
#: What follows a keyword: `wait` → `until`, `for event`; `reentry` → `never`, …
FOLLOWERS: dict[str, tuple[str, ...]] = {
    "wait": ("until", "for event"),
    "reentry": ("never", "always", "after"),
    "exit": ("on event", "when"),
    "on": ("event", "timeout", "error"),
    "read": ("audience",),
    "for": ("event",),
    "else": ("if",),
    "send": CHANNELS,
}
