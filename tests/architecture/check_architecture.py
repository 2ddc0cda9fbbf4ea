#!/usr/bin/env python3
"""Checks the house rules of the tree (docs/ARCHITECTURE.md), as ctest `architecture`:

1. The link graph: every room's CMake target (doorstep_room() in core/, kiosk/ and server/, and
   the two programs) links only rooms below it: nothing in core/ links kiosk/ or server/, the
   kiosk and the server never link each other, and no cycle.
2. The include graph follows the link graph: a file includes a project header only from its own
   room or from a room its target links (directly or through others). So core/ includes nothing
   from kiosk/ or server/, kiosk/ and server/ never include each other, and the generic store
   (server/store) includes neither dialect.
3. No source file is longer than 500 lines.

  check_architecture.py ROOT        check the tree at ROOT; exit 1 naming every problem
  check_architecture.py --self-test check that each rule catches what it is for
"""

import os
import re
import subprocess
import sys
import tempfile

TOP_FOLDERS = ("core", "kiosk", "server")
MAX_LINES = 500
SOURCE_ENDINGS = (".cpp", ".hpp", ".h", ".c", ".py", ".js", ".mjs", ".sh", ".cmake", ".css",
                  ".html")
ROOM_CALL = re.compile(r"doorstep_room\(\s*([\w-]+)\s+([\w/]+)([^)]*)\)", re.S)
EXECUTABLE = re.compile(r"target_link_libraries\(\s*(doorstep-kiosk|doorstep-server)\s+"
                        r"PRIVATE([^)]*)\)", re.S)
LIBRARY = re.compile(r"add_library\(\s*(doorstep_(?:kiosk|server)_\w+)\s")
# A room of compiled-in files (server/CMakeLists.txt): it links doorstep_core only.
EMBEDDED = re.compile(r"doorstep_embedded_files\(\s*(doorstep_(?:kiosk|server)_\w+)\s+([\w/]+)")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def read_rooms(root):
    """{target: (folder, [linked targets])} from the CMakeLists of core/, kiosk/ and server/."""
    rooms = {"doorstep_core": ("core", [])}
    for top in ("kiosk", "server"):
        path = os.path.join(root, top, "CMakeLists.txt")
        if not os.path.exists(path):
            continue
        text = re.sub(r"#[^\n]*", "", open(path, encoding="utf-8").read())
        for target, folder, rest in ROOM_CALL.findall(text):
            links = rest.split("LINKS", 1)[1].split() if "LINKS" in rest else []
            rooms[target] = (top + "/" + folder, links)
        for library in LIBRARY.findall(text):  # a room without doorstep_room(): no sources
            rooms.setdefault(library, (top + "/" + library.split("_", 2)[2], []))
        for target, folder in EMBEDDED.findall(text):
            rooms[target] = (top + "/" + folder, ["doorstep_core"])
        for program, links in EXECUTABLE.findall(text):
            folder = "kiosk/app" if program == "doorstep-kiosk" else "server"
            rooms[program] = (folder, links.split())
    for target, (folder, links) in rooms.items():
        rooms[target] = (folder, [link for link in links if link in rooms or
                                  link.startswith("doorstep")])
    return rooms


def top_of(folder):
    return folder.split("/")[0]


def check_links(rooms):
    problems = []
    for target, (folder, links) in sorted(rooms.items()):
        for link in links:
            if link not in rooms:
                continue
            linked_top = top_of(rooms[link][0])
            if top_of(folder) == "core" and linked_top != "core":
                problems.append(f"link: {target} ({folder}) links {link} ({rooms[link][0]}): "
                                "core/ rests on nothing of kiosk/ or server/")
            if {top_of(folder), linked_top} == {"kiosk", "server"}:
                problems.append(f"link: {target} ({folder}) links {link} ({rooms[link][0]}): "
                                "the kiosk and the server never link each other")

    def visit(target, path):
        if target in path:
            cycle = path[path.index(target):] + [target]
            problems.append("link: a cycle: " + " -> ".join(cycle))
            return
        for link in rooms.get(target, ("", []))[1]:
            if link in rooms:
                visit(link, path + [target])

    for target in sorted(rooms):
        visit(target, [])
    return sorted(set(problems))


def reachable(rooms, target):
    seen, todo = set(), [target]
    while todo:
        current = todo.pop()
        if current in seen or current not in rooms:
            continue
        seen.add(current)
        todo.extend(rooms[current][1])
    return seen


def room_of(rooms, path):
    """The target whose folder holds `path` (the deepest one), or None."""
    best = None
    for target, (folder, _) in rooms.items():
        inside = os.path.dirname(path) == folder if folder == "server" else \
            path.startswith(folder + "/")
        if inside and (best is None or len(folder) > len(rooms[best][0])):
            best = target
    return best


def tracked_files(root):
    try:
        out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=root,
                             check=True, capture_output=True, text=True).stdout
        return [line for line in out.splitlines() if os.path.isfile(os.path.join(root, line))]
    except (OSError, subprocess.CalledProcessError):
        found = []
        for folder, _, names in os.walk(root):
            found += [os.path.relpath(os.path.join(folder, name), root) for name in names]
        return found


def check_includes(root, rooms, files):
    problems = []
    for path in files:
        if top_of(path) not in TOP_FOLDERS or not path.endswith((".cpp", ".hpp")):
            continue
        target = room_of(rooms, path)
        if target is None:
            problems.append(f"{path}: in no room of the CMake files")
            continue
        allowed = reachable(rooms, target)
        with open(os.path.join(root, path), encoding="utf-8") as source:
            for number, line in enumerate(source, 1):
                match = INCLUDE.match(line)
                if not match or top_of(match.group(1)) not in TOP_FOLDERS:
                    continue
                included = match.group(1)
                owner = room_of(rooms, included)
                if owner is None or owner in allowed:
                    continue
                problems.append(f"{path}:{number}: includes {included} ({rooms[owner][0]}), but "
                                f"{target} ({rooms[target][0]}) does not link {owner}")
    return problems


def check_lengths(root, files):
    problems = []
    for path in files:
        if not path.endswith(SOURCE_ENDINGS) and os.path.basename(path) != "CMakeLists.txt":
            continue
        if "node_modules" in path.split("/"):
            continue
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as source:
            lines = sum(1 for _ in source)
        if lines > MAX_LINES:
            problems.append(f"{path}: {lines} lines, more than {MAX_LINES}: split it")
    return problems


def check(root):
    rooms = read_rooms(root)
    files = tracked_files(root)
    return check_links(rooms) + check_includes(root, rooms, files) + check_lengths(root, files)


def self_test(real_root):
    """Each rule, broken once in a copy of the real CMake files, must be reported."""
    cases = {
        "core/base/bad.cpp": ('#include "kiosk/store/store.hpp"\n', "does not link"),
        "kiosk/flow/bad.cpp": ('#include "server/store/records.hpp"\n', "does not link"),
        "server/store/bad.cpp": ('#include "server/store/sqlite/sqlite_session.hpp"\n',
                                 "does not link"),
        "server/store/sqlite/bad.cpp": ('#include "server/store/postgres/pg_connection.hpp"\n',
                                        "does not link"),
        "server/api/long.cpp": ("int x;\n" * (MAX_LINES + 1), "more than"),
    }
    failures = []
    for bad_path, (content, expected) in cases.items():
        with tempfile.TemporaryDirectory() as scratch:
            for top in ("kiosk", "server"):
                os.makedirs(os.path.join(scratch, top))
                with open(os.path.join(real_root, top, "CMakeLists.txt"), encoding="utf-8") as f:
                    cmake = f.read()
                with open(os.path.join(scratch, top, "CMakeLists.txt"), "w") as f:
                    f.write(cmake)
            full = os.path.join(scratch, bad_path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as f:
                f.write(content)
            problems = check(scratch)
            if not any(bad_path in p and expected in p for p in problems):
                failures.append(f"{bad_path}: expected a problem with '{expected}', got {problems}")
    with tempfile.TemporaryDirectory() as scratch:  # a link back up
        os.makedirs(os.path.join(scratch, "kiosk"))
        with open(os.path.join(scratch, "kiosk", "CMakeLists.txt"), "w") as f:
            f.write("doorstep_room(doorstep_kiosk_store store LINKS doorstep_server_store)\n"
                    "doorstep_room(doorstep_kiosk_flow flow LINKS doorstep_kiosk_layout)\n"
                    "doorstep_room(doorstep_kiosk_layout layout LINKS doorstep_kiosk_flow)\n")
        os.makedirs(os.path.join(scratch, "server"))
        with open(os.path.join(scratch, "server", "CMakeLists.txt"), "w") as f:
            f.write("doorstep_room(doorstep_server_store store LINKS doorstep_core)\n")
        problems = check(scratch)
        for expected in ("never link each other", "a cycle"):
            if not any(expected in p for p in problems):
                failures.append(f"links: expected '{expected}', got {problems}")
    return failures


def main():
    if sys.argv[1:] == ["--self-test"]:
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        failures = self_test(root)
        for failure in failures:
            print("self-test: " + failure)
        print("self-test: " + ("FAILED" if failures else "every rule caught its breach"))
        return 1 if failures else 0
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-2].strip(), file=sys.stderr)
        return 2
    problems = check(sys.argv[1])
    for problem in problems:
        print(problem)
    rooms = read_rooms(sys.argv[1])
    print(f"architecture: {len(rooms)} rooms, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
