"""Broken and hostile input: what ipskg must answer for each (tests/test_hostile.py runs them).

Each case is one run of the ``ipskg`` command in a fresh folder: the files it writes there
(``files``; ``base`` copies a valid study folder first and ``edits`` changes its text), the
arguments, the exit code and a fragment of the message the user must see. ``{d}`` in an
argument or a file is the case's folder; ``{server}`` the address of a local HTTP server that
counts the requests it gets: a case that names it must end with the server untouched (nothing
fetched). The runner adds the rules every case obeys: a time limit, a memory cap, no traceback,
no "bug in ipskg" unless the exit code is 3, and nothing fetched.

``why`` names the finding of the hostile-input review (issue 16) that the case covers:
fetch (parsers reaching out), hang, silent-loss, exit3 (ordinary mistakes reported as bugs),
invalid-output, merge (merge differs from validate), report (Turtle report), credentials,
files (outputs), display (terminal and spreadsheet safety), limits.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EX = "http://example.org/"
IPSKG = "https://w3id.org/ipskg/ontology#"


@dataclass(frozen=True)
class Fifo:
    """A named pipe: reading it would block for ever."""


@dataclass(frozen=True)
class Folder:
    """A folder where a file is expected."""


@dataclass(frozen=True)
class Link:
    """A symbolic link to ``target`` (relative to the case folder, or absolute)."""

    target: str


@dataclass(frozen=True)
class Big:
    """``head`` + ``fill`` repeated ``times`` + ``tail`` (large files without large literals)."""

    head: str
    fill: str
    times: int
    tail: str = ""


@dataclass(frozen=True)
class Zip:
    """A ZIP archive (a .qdpx or .xlsx) of these members; ``{d}`` and ``{server}`` are filled
    in the members' text as in plain files."""

    members: tuple[tuple[str, str], ...]


Content = str | bytes | Fifo | Folder | Link | Big | Zip


@dataclass(frozen=True)
class Case:
    name: str
    why: str
    args: tuple[str, ...]
    exit: int
    message: str
    files: dict[str, Content] = field(default_factory=dict)
    base: str | None = None  # a folder under tests/fixtures/cases/valid/, copied to {d}/<name>
    edits: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    check: Callable[[Path, str], Any] | None = None  # (case folder, output) -> assert
    timeout: float = 60.0


CASES: list[Case] = []


def case(name: str, why: str, args: str | tuple[str, ...], exit: int, message: str, **kw: Any):
    CASES.append(
        Case(name, why, tuple(args.split()) if isinstance(args, str) else args, exit, message, **kw)
    )


TRIPLE = f"<{EX}a> <{EX}p> <{EX}b> .\n"

# ---------------------------------------------------------------- RDF: nothing is fetched
REMOTE_CTX = json.dumps({"@context": "{server}/context.jsonld", "@id": EX + "a", "p": "v"})
NESTED_CTX = json.dumps(
    {"@context": {"@vocab": EX}, "@id": EX + "a", "p": {"@context": "{server}/n.jsonld"}}
)
LIST_CTX = json.dumps({"@context": [{"@vocab": EX}, "{server}/l.jsonld"], "@id": EX + "a"})
IMPORT_CTX = json.dumps({"@context": {"@import": "{server}/i.jsonld"}, "@id": EX + "a"})
for command in (
    "validate x.jsonld",
    "validate --whole x.jsonld",
    "merge x.jsonld --out-dir out",
    "build --merge x.jsonld --out-dir out",
    "export --merge x.jsonld -o e.ttl",
    "query table-1 --graph x.jsonld",
    "publish --endpoint http://127.0.0.1:9/sparql --graph-iri https://example.org/g "
    "--graph-file x.jsonld",
):
    verb = command.split()[0] + ("-whole" if "--whole" in command else "")
    verb += "-merge" if "--merge" in command else ""
    case(
        f"jsonld-remote-context-{verb}",
        "fetch",
        command,
        2,
        "is not fetched",
        files={"x.jsonld": REMOTE_CTX},
    )
for label, doc in (("nested", NESTED_CTX), ("list", LIST_CTX)):
    case(
        f"jsonld-{label}-remote-context",
        "fetch",
        "validate x.jsonld",
        2,
        "is not fetched",
        files={"x.jsonld": doc},
    )
case(
    "jsonld-context-import",
    "fetch",
    "validate --whole x.jsonld",
    2,
    "not fetched",
    files={"x.jsonld": IMPORT_CTX},
)
for target in ("/etc/passwd", "/dev/zero", "/dev/stdin"):
    doc = json.dumps({"@context": f"file://{target}", "@id": EX + "a"})
    case(
        f"jsonld-file-context-{target.rsplit('/', 1)[1]}",
        "fetch",
        "merge x.jsonld --out-dir o",
        2,
        "is not fetched",
        files={"x.jsonld": doc},
    )
case(
    "jsonld-too-deep",
    "limits",
    "validate --whole x.jsonld",
    2,
    "nested more than",
    files={"x.jsonld": "[" * 100_000 + "]" * 100_000},
)
case(
    "jsonld-not-json",
    "exit3",
    "validate --whole x.jsonld",
    2,
    "JSON-LD syntax error",
    files={"x.jsonld": '{"@id": "http://example.org/a", '},
)

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY a "lollollollollollollollollollol">\n'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9))
    + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    f'xmlns:ex="{EX}"><rdf:Description rdf:about="{EX}a"><ex:p>&j;</ex:p>'
    "</rdf:Description></rdf:RDF>\n"
)
XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    f'xmlns:ex="{EX}"><rdf:Description rdf:about="{EX}a"><ex:p>&x;</ex:p>'
    "</rdf:Description></rdf:RDF>\n"
)
for command in (
    "merge x.rdf --out-dir o",
    "validate --whole x.rdf",
    "validate x.rdf",
    "query table-1 --graph x.rdf",
):
    verb = command.split()[0] + ("-whole" if "--whole" in command else "")
    case(
        f"rdfxml-billion-laughs-{verb}",
        "hang",
        command,
        2,
        "entity declarations",
        files={"x.rdf": LAUGHS},
        timeout=30,
    )
case(
    "rdfxml-external-entity",
    "fetch",
    "merge x.rdf --out-dir o",
    2,
    "entity declarations",
    files={"x.rdf": XXE},
)
case(
    "rdfxml-external-entity-owl",
    "fetch",
    "validate --whole x.owl",
    2,
    "entity declarations",
    files={"x.owl": XXE},
)

# ---------------------------------------------------------------- RDF: relative and file IRIs
for command in (
    "validate x.ttl",
    "validate --whole x.ttl",
    "merge x.ttl --out-dir o",
    "query table-1 --graph x.ttl",
):
    verb = command.split()[0] + ("-whole" if "--whole" in command else "")
    case(
        f"relative-iri-{verb}",
        "merge",
        command,
        2,
        "relative IRI",
        files={"x.ttl": f"@prefix ex: <{EX}> .\n<mine> ex:p ex:b .\n"},
    )
case(
    "file-iri-merge",
    "merge",
    "merge x.ttl --out-dir o",
    2,
    "names a local file",
    files={"x.ttl": f"<{EX}a> <{EX}p> <file:///etc/shadow> .\n"},
)
case(
    "file-iri-validate",
    "merge",
    "validate x.ttl",
    2,
    "names a local file",
    files={"x.ttl": f"<file:///home/me/a> <{EX}p> <{EX}b> .\n"},
)
case(
    "file-base-merge",
    "merge",
    "merge x.ttl --out-dir o",
    2,
    "names a local file",
    files={"x.ttl": f"@base <file:///home/curator/> .\n<a> <{EX}p> <{EX}b> .\n"},
)
case(
    "relative-iri-jsonld",
    "merge",
    "validate x.jsonld",
    2,
    "relative IRI",
    files={"x.jsonld": json.dumps({"@id": "mine", f"{EX}p": "v"})},
)

# ---------------------------------------------------------------- RDF: formats and syntax
for command in ("validate x.n3", "merge x.n3 --out-dir o"):
    case(
        f"n3-rule-{command.split()[0]}",
        "exit3",
        command,
        2,
        "N3 is not read",
        files={"x.n3": "{ ?a <http://e/p> ?b } => { ?b <http://e/p> ?a } .\n"},
    )
for suffix in ("trig", "nq"):
    case(
        f"dataset-{suffix}",
        "exit3",
        f"merge x.{suffix} --out-dir o",
        2,
        "several named graphs",
        files={f"x.{suffix}": TRIPLE},
    )
case(
    "unknown-suffix-merge",
    "exit3",
    "merge x.csv --out-dir o",
    2,
    "cannot tell the RDF format",
    files={"x.csv": "a,b\n"},
)
case(
    "truncated-turtle-whole",
    "exit3",
    "validate --whole x.ttl",
    2,
    "x.ttl:2",
    files={"x.ttl": TRIPLE + f'<{EX}a> <{EX}p> "cut'},
)
case(
    "iri-with-space",
    "exit3",
    "merge x.ttl --out-dir o",
    2,
    "syntax error",
    files={"x.ttl": f"<{EX}a b> <{EX}p> <{EX}c> .\n"},
)
for char in "{}|^`":
    case(
        f"iri-with-{hex(ord(char))}",
        "exit3",
        "validate --whole x.nt",
        2,
        "syntax error",
        files={"x.nt": f"<{EX}a{char}> <{EX}p> <{EX}c> .\n"},
    )
case(
    "literal-over-16-mib-whole",
    "limits",
    "validate --whole x.nt",
    2,
    "16 MiB",
    files={"x.nt": Big(f'<{EX}a> <{EX}p> "', "x" * 1000, 17_000, '" .\n')},
)
case(
    "literal-over-16-mib-merge",
    "limits",
    "merge x.nt --out-dir o",
    2,
    "16 MiB",
    files={"x.nt": Big(f'<{EX}a> <{EX}p> "', "x" * 1000, 17_000, '" .\n')},
)
case(
    "binary-turtle",
    "exit3",
    "validate x.ttl",
    2,
    "binary file",
    files={"x.ttl": b"\x00\x01\x02\xff" * 100},
)
case(
    "latin1-turtle-whole",
    "exit3",
    "validate --whole x.ttl",
    2,
    "x.ttl:2",
    files={"x.ttl": (TRIPLE + f'<{EX}a> <{EX}q> "caf\xe9" .\n').encode("latin-1")},
)
case(
    "latin1-turtle-merge",
    "exit3",
    "merge x.ttl --out-dir o",
    2,
    "not valid UTF-8",
    files={"x.ttl": (TRIPLE + f'<{EX}a> <{EX}q> "caf\xe9" .\n').encode("latin-1")},
)
case("empty-turtle", "silent-loss", "validate x.ttl", 2, "the file is empty", files={"x.ttl": ""})
case(
    "prefixes-only-turtle",
    "silent-loss",
    "validate --whole x.ttl",
    2,
    "holds no triples",
    files={"x.ttl": f"@prefix ex: <{EX}> .\n"},
)
case(
    "rdf-star",
    "exit3",
    "validate x.ttl",
    2,
    "RDF-star",
    files={"x.ttl": f"<< <{EX}a> <{EX}p> <{EX}b> >> <{EX}q> <{EX}c> .\n"},
)

# ---------------------------------------------------------------- files that are not files
# click checks some paths itself (merge FILES, --graph) and says so in its own words
NOT_FILES: dict[str, tuple[Content, str]] = {
    "fifo": (Fifo(), "pipe"),
    "folder": (Folder(), "folder|directory"),
    "dangling-link": (Link("gone.ttl"), "symbolic link to nothing|does not exist"),
    "link-loop": (Link("x.ttl"), "x.ttl"),
    "device-link": (Link("/dev/zero"), "device"),
}
for label, (content, words) in NOT_FILES.items():
    for command in (
        "validate x.ttl",
        "validate --whole x.ttl",
        "merge x.ttl --out-dir o",
        "query table-1 --graph x.ttl",
    ):
        verb = command.split()[0] + ("-whole" if "--whole" in command else "")
        case(f"{label}-{verb}", "hang", command, 2, words, files={"x.ttl": content}, timeout=30)
case(
    "fifo-publish-graph-file",
    "hang",
    "publish --endpoint http://127.0.0.1:9/sparql --graph-iri https://e.org/g --graph-file x.nt",
    2,
    "pipe",
    files={"x.nt": Fifo()},
    timeout=30,
)
case("fifo-query-file", "hang", "query q.rq", 2, "pipe", files={"q.rq": Fifo()}, timeout=30)
case("folder-query-file", "exit3", "query q.rq", 2, "folder", files={"q.rq": Folder()})
case(
    "fifo-credentials-file",
    "hang",
    "query table-1 --endpoint http://127.0.0.1:9/sparql",
    2,
    "pipe",
    files={"creds.ini": Fifo()},
    env={"IPSKG_CONFIG": "{d}/creds.ini"},
    timeout=30,
)
case(
    "folder-credentials-file",
    "credentials",
    "query table-1 --endpoint http://127.0.0.1:9/sparql",
    2,
    "folder",
    files={"creds": Folder()},
    env={"IPSKG_CONFIG": "{d}/creds"},
)
case(
    "credentials-file-without-section",
    "credentials",
    "publish --endpoint http://127.0.0.1:9/sparql --graph-iri https://e.org/g",
    2,
    "no [sparql] section",
    files={"creds.ini": "[other]\nuser = x\n"},
    env={"IPSKG_CONFIG": "{d}/creds.ini"},
)

# ---------------------------------------------------------------- study folders (YAML)
STUDY = "lakeside-site"
STUDY_YAML = f"{STUDY}/study.yaml"
OBS = f"{STUDY}/observations.yaml"
for label, content, words in (
    ("fifo", Fifo(), "pipe"),
    ("folder", Folder(), "folder"),
    ("dangling-link", Link("nowhere.yaml"), "symbolic link to nothing"),
    ("link-loop", Link("observations.yaml"), "observations.yaml"),
):
    for command in (f"validate {STUDY}", f"build --study {STUDY} --out-dir o"):
        case(
            f"data-file-{label}-{command.split()[0]}",
            "silent-loss",
            command,
            2,
            words,
            base=STUDY,
            files={OBS: content},
            timeout=30,
        )
YAML_BREAKS: dict[str, tuple[tuple[str, str], str]] = {
    "doi-not-a-doi": (("doi: 10.5555/ipskg.lakeside.2026", 'doi: "not a doi"'), "not a DOI"),
    "doi-with-angle": (("doi: 10.5555/ipskg.lakeside.2026", 'doi: "10.5555/a>b"'), "not a DOI"),
    "impossible-date": (("end: 2025-06", "end: 2024-02-30"), "2024-02-30"),
    "id-trailing-newline": (
        ("id: regional-ips-scale-up", 'id: "regional-ips-scale-up\\n"'),
        "not a valid id",
    ),
    "id-with-space": (("id: regional-ips-scale-up", 'id: "regional ips"'), "not a valid id"),
    "id-too-long": (("id: regional-ips-scale-up", "id: " + "a" * 300), "not a valid id"),
    "id-with-brace": (("id: regional-ips-scale-up", 'id: "a{b}"'), "not a valid id"),
    "year-as-text": (("year: 2026", 'year: "twenty"'), "year"),
    "negative-count": (("    count: 4\n", "    count: -4\n"), "count"),
    "nan-number": (("value: 6", "value: .nan"), "nan"),
    "infinite-number": (("value: 6", "value: .inf"), "inf"),
    "python-tag": (
        ("id: lakeside-site\n", "id: !!python/object:os.system lakeside-site\n"),
        "python/object",
    ),
    "tab-indent": (("  - id: design", "\t- id: design"), "YAML syntax error"),
    "duplicate-key": (
        ("  journal: Regional", "  year: 2026\n  journal: Regional"),
        "appears twice",
    ),
    "et-al-author": (
        ('["Virtanen A", "Korhonen M"]', '["Virtanen A", "et al."]'),
        "is not an author",
    ),
}
for label, ((old, new), words) in YAML_BREAKS.items():
    case(
        f"yaml-{label}",
        "exit3",
        f"validate {STUDY}",
        2,
        words,
        base=STUDY,
        edits={STUDY_YAML: ((old, new),)},
    )
case(
    "yaml-alias-bomb",
    "limits",
    f"validate {STUDY}",
    2,
    "aliases",
    base=STUDY,
    edits={
        STUDY_YAML: (("characteristics:\n", "x: &a [1, 2, 3]\ny: [*a, *a]\ncharacteristics:\n"),)
    },
)
case(
    "yaml-alias-in-list",
    "limits",
    f"build --study {STUDY} --out-dir o",
    2,
    "aliases",
    base=STUDY,
    edits={
        STUDY_YAML: (
            ("  - id: design\n", "  - &d\n    id: design\n"),
            ("role_categories:\n", "role_categories:\n  - *d\n"),
        )
    },
)
case(
    "yaml-deep-nesting",
    "exit3",
    f"validate {STUDY}",
    2,
    "nested more than",
    base=STUDY,
    edits={
        STUDY_YAML: (
            (
                'title: "Sustaining IPS at the Lakeside community mental health centre"',
                "title: " + "[" * 300 + "]" * 300,
            ),
        )
    },
)
case(
    "yaml-very-deep-nesting",
    "exit3",
    f"validate {STUDY}",
    2,
    "nested too deeply",
    base=STUDY,
    edits={
        STUDY_YAML: (
            (
                'title: "Sustaining IPS at the Lakeside community mental health centre"',
                "title: " + "[" * 5000 + "]" * 5000,
            ),
        )
    },
)
case(
    "yaml-binary",
    "exit3",
    f"validate {STUDY}",
    2,
    "binary file",
    base=STUDY,
    files={OBS: b"\x00\xff" * 64},
)
case(
    "yaml-latin1",
    "exit3",
    f"validate {STUDY}",
    2,
    "not valid UTF-8",
    base=STUDY,
    files={OBS: 'observations:\n  - id: o1\n    summary: "caf\xe9"\n'.encode("latin-1")},
)
case(
    "yaml-empty",
    "silent-loss",
    f"validate {STUDY}",
    2,
    "the file is empty",
    base=STUDY,
    files={OBS: ""},
)
case(
    "yaml-comments-only",
    "silent-loss",
    f"validate {STUDY}",
    2,
    "holds no data",
    base=STUDY,
    files={OBS: "# nothing yet\n"},
)
case(
    "yaml-list-at-top",
    "exit3",
    f"validate {STUDY}",
    2,
    "expected a mapping",
    base=STUDY,
    files={OBS: "- id: o1\n"},
)
case(
    "yaml-unknown-file",
    "silent-loss",
    f"validate {STUDY}",
    2,
    "unknown data file",
    base=STUDY,
    files={f"{STUDY}/notes.yaml": "x: 1\n"},
)
case(
    "yaml-too-big",
    "limits",
    f"validate {STUDY}",
    2,
    "larger than",
    base=STUDY,
    files={OBS: Big("observations:\n", "# padding padding padding padding\n", 700_000)},
)
case(
    "study-without-study-yaml",
    "silent-loss",
    "build --data data --out-dir o",
    2,
    "no study.yaml",
    files={"data/studies/empty-study": Folder()},
)
case(
    "study-yaml-is-a-folder",
    "silent-loss",
    "build --data data --out-dir o",
    2,
    "folder",
    files={"data/studies/s/study.yaml": Folder()},
)

# ---------------------------------------------------------------- command-line values
for value in ("nan", "inf", "-1", "abc", "0"):
    case(
        f"timeout-{value}",
        "exit3",
        ("query", "table-1", "--timeout", value),
        2,
        "number of seconds",
    )
for command in (
    "build --data nowhere --out-dir o",
    "export --data nowhere -o e.ttl",
    "query table-1 --data nowhere",
    "reason --with-data --data nowhere",
    "merge x.ttl --data nowhere --out-dir o",
):
    case(
        f"missing-data-{command.split()[0]}",
        "exit3",
        command,
        2,
        "nowhere",
        files={"x.ttl": TRIPLE},
    )
case(
    "out-dir-under-a-file",
    "exit3",
    "build --out-dir f/out",
    2,
    "a file, not a folder",
    files={"f": "I am a file\n"},
)
case(
    "out-dir-with-other-files",
    "files",
    "build --out-dir o",
    2,
    "ipskg did not write",
    files={"o/thesis.docx": "precious\n"},
    check=lambda d, out: (d / "o" / "thesis.docx").read_text() == "precious\n",
)
case(
    "out-dir-is-a-link",
    "files",
    "build --out-dir o",
    2,
    "symbolic link",
    files={"real": Folder(), "o": Link("real")},
)
case(
    "output-is-a-link",
    "files",
    "ontology -o onto.ttl",
    2,
    "symbolic link",
    files={"target.ttl": "keep\n", "onto.ttl": Link("target.ttl")},
    check=lambda d, out: (d / "target.ttl").read_text() == "keep\n",
)
case("output-is-a-device", "files", "ontology -o /dev/null", 2, "device")
case(
    "output-in-missing-folder-under-file",
    "exit3",
    "ontology -o f/onto.ttl",
    2,
    "a file, not a folder",
    files={"f": "x\n"},
)
case(
    "output-is-a-folder",
    "exit3",
    "query table-1 -o somewhere",
    2,
    "is a directory",
    files={"somewhere": Folder()},
)

# ---------------------------------------------------------------- queries
case(
    "service-clause",
    "fetch",
    "query q.rq",
    2,
    "SERVICE",
    files={"q.rq": "SELECT * WHERE { SERVICE <{server}/sparql> { ?s ?p ?o } }\n"},
)
case(
    "service-clause-rdflib",
    "fetch",
    "query q.rq --engine rdflib",
    2,
    "SERVICE",
    files={"q.rq": "SELECT * WHERE { SERVICE <{server}/sparql> { ?s ?p ?o } }\n"},
)
case(
    "update-in-query-file",
    "exit3",
    "query q.rq",
    2,
    "",
    files={"q.rq": f"INSERT DATA {{ <{EX}a> <{EX}p> <{EX}b> }}\n"},
)
case(
    "slow-query-timeout",
    "hang",
    "query q.rq --timeout 1",
    2,
    "did not finish within 1 s",
    files={"q.rq": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z . ?d ?s ?w }\n"},
    timeout=40,
)
case(
    "query-file-latin1",
    "exit3",
    "query q.rq",
    2,
    "not valid UTF-8",
    files={"q.rq": "# caf\xe9\nSELECT * WHERE { ?s ?p ?o }\n".encode("latin-1")},
)
case("query-file-missing", "exit3", "query nothing.rq", 2, "does not exist")
case(
    "query-syntax-error",
    "exit3",
    "query q.rq",
    2,
    "q.rq",
    files={"q.rq": "SELECT * WHERE { ?s ?p \n"},
)
case(
    "param-injection",
    "exit3",
    ("query", "construct-observations", "-p", 'construct=II.D" } ; DROP ALL ; SELECT * { "'),
    2,
    "is not a construct",
)
case("param-unknown-name", "exit3", ("query", "table-1", "-p", "nope=1"), 2, "nope")

# ---------------------------------------------------------------- servers and credentials
for url, words in (
    ("http://user:secret@127.0.0.1:9/sparql", "user name or password"),
    ("ftp://127.0.0.1/sparql", "is not an http(s) URL"),
    ("file:///etc/passwd", "is not an http(s) URL"),
    ("127.0.0.1:8890/sparql", "is not an http(s) URL"),
):
    case(
        f"endpoint-{url.split(':')[0]}-{'userinfo' if '@' in url else 'scheme'}",
        "credentials",
        ("query", "table-1", "--endpoint", url),
        2,
        words,
        check=lambda d, out: "secret" not in out,
    )
case(
    "publish-endpoint-userinfo",
    "credentials",
    "publish --endpoint http://u:secret@127.0.0.1:9/sparql --graph-iri https://e.org/g",
    2,
    "user name or password",
    check=lambda d, out: "secret" not in out,
)
case(
    "credentials-over-plain-http",
    "credentials",
    "query table-1 --endpoint http://sparql.example.org/sparql",
    2,
    "unencrypted",
    env={"IPSKG_SPARQL_USER": "alice", "IPSKG_SPARQL_PASSWORD": "secret"},
    check=lambda d, out: "secret" not in out,
)
case(
    "config-credentials-over-plain-http",
    "credentials",
    "publish --endpoint http://sparql.example.org/sparql --graph-iri https://e.org/g",
    2,
    "unencrypted",
    files={"c.ini": "[sparql]\nuser = alice\npassword = secret\n"},
    env={"IPSKG_CONFIG": "{d}/c.ini"},
    check=lambda d, out: "secret" not in out,
)
case(
    "unreachable-endpoint",
    "exit3",
    "query table-1 --endpoint http://127.0.0.1:9/sparql --timeout 5",
    2,
    "cannot reach",
)


# ---------------------------------------------------------------- outputs and display
def _turtle_parses(d: Path, out: str) -> None:
    import pyoxigraph as ox

    report = out[: out.rfind("does not conform")] if "does not conform" in out else out
    # stdout is the report; stderr's lines (a note on the engine, the summary) come with it here
    report = "\n".join(line for line in report.splitlines() if not line.startswith("note: "))
    list(ox.parse(report.encode(), format=ox.RdfFormat.TURTLE))


case(
    "turtle-report-ill-typed-boolean",
    "report",
    "validate x.ttl -f ttl",
    1,
    "sh:ValidationReport",
    files={
        "x.ttl": (
            f"@prefix ipskg: <{IPSKG}> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
            "<https://w3id.org/ipskg/study/x/case/a> a ipskg:Case ;\n"
            '    ipskg:commitmentCommunicated "yes"^^xsd:boolean .\n'
        )
    },
    check=_turtle_parses,
)
case(
    "merge-keeps-ill-typed-literal-as-written",
    "merge",
    "merge x.ttl --out-dir o",
    0,
    "merged",
    files={"x.ttl": f'<{EX}a> <{EX}flag> "yes"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n'},
    check=lambda d, out: '"yes"^^' in (d / "o" / "ipskg.nt").read_text(),
)
ESC = "\x1b]0;pwned\x07\x1b[2J"
case(
    "ansi-in-yaml-value",
    "display",
    f"validate {STUDY}",
    2,
    "does not allow",
    base=STUDY,
    edits={OBS: (('construct: "II.E"', f'construct: "II.E{ESC}"'),)},
    check=lambda d, out: "\x1b" not in out,
)
case(
    "ansi-in-rdf-error",
    "display",
    "validate --whole x.ttl",
    2,
    "x.ttl",
    files={"x.ttl": f"<{EX}a> <{EX}p> {ESC} .\n"},
    check=lambda d, out: "\x1b" not in out,
)
case(
    "bidi-override-in-yaml",
    "display",
    f"validate {STUDY}",
    2,
    "\\u202e",
    base=STUDY,
    edits={OBS: (('construct: "II.E"', 'construct: "II.E\u202egnp.exe"'),)},
    check=lambda d, out: "\u202e" not in out,
)


# ---------------------------------------------------------------- REFI-QDA projects (.qdpx)
QDE_HEAD = '<?xml version="1.0"?>\n'
QDE_BODY = '<Project xmlns="urn:QDA-XML:project:1.0" name="{name}"/>'
for name, doctype, message in (
    ("external-dtd", '<!DOCTYPE Project SYSTEM "{server}/project.dtd">', "never expanded"),
    ("xxe-server", '<!DOCTYPE Project [<!ENTITY x SYSTEM "{server}/x">]>', "never expanded"),
    (
        "xxe-local-file",
        '<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        "never expanded",
    ),
    (
        "parameter-entity",
        '<!DOCTYPE Project [<!ENTITY % p SYSTEM "{server}/p"> %p;]>',
        "never expanded",
    ),
    (
        "billion-laughs",
        '<!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">'
        '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;">]>',
        "never expanded",
    ),
):
    entity = "&x;" if "x SYSTEM" in doctype else ("&f;" if "laughs" in name else "p")
    for verb in ("import qdpx p.qdpx -o {d}/study", "import codes-map p.qdpx"):
        case(
            f"qdpx-{name}-{verb.split()[1]}",
            "fetch" if "server" in doctype else "hang",
            verb,
            2,
            message,
            files={
                "p.qdpx": Zip(
                    (("project.qde", QDE_HEAD + doctype + QDE_BODY.replace("{name}", entity)),)
                )
            },
        )
case(
    "qdpx-path-traversal",
    "files",
    "import qdpx p.qdpx -o {d}/study",
    2,
    "path traversal",
    files={"p.qdpx": Zip((("project.qde", QDE_BODY), ("sources/../../../tmp/evil.txt", "x")))},
    check=lambda d, out: not (d / "study").exists(),
)
case(
    "qdpx-zip-bomb",
    "limits",
    "import qdpx p.qdpx -o {d}/study",
    2,
    "zip bomb",
    files={"p.qdpx": Zip((("project.qde", QDE_BODY), ("sources/a.txt", "\0" * 3_000_000)))},
)
case("qdpx-fifo", "hang", "import qdpx p.qdpx -o {d}/study", 2, "pipe", files={"p.qdpx": Fifo()})
case(
    "qdpx-folder",
    "exit3",
    "import qdpx p.qdpx -o {d}/study",
    2,
    "is a directory",
    files={"p.qdpx": Folder()},
)
case(
    "qdpx-not-zip",
    "exit3",
    "import qdpx p.qdpx -o {d}/study",
    2,
    "not a ZIP",
    files={"p.qdpx": "<Project/>"},
)
case(
    "qdpx-codes-map-missing-file",
    "exit3",
    "import qdpx p.qdpx --codes nothere.yaml -o {d}/study",
    2,
    "nothere.yaml",
    files={"p.qdpx": Zip((("project.qde", QDE_BODY.replace("{name}", "x")),))},
)
