"""The completion scripts of `teamsim completion`, one writer a shell, each from the
:class:`~simulation.cli.completion.Grammar` of the command line: bash (a ``complete -F``
function), zsh (an ``_arguments`` function for ``fpath`` or ``source``) and fish
(``complete`` lines). Each says at its top how to install it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from simulation.cli.completion import Command, Grammar, Option, Positional, Values

PLAIN = re.compile(r"[A-Za-z0-9_.,+@%=/-]+")
"""A name that needs no quoting in any of the shells; a name that is not plain (a plugin's
strategy with a space, say) is left out of the scripts rather than break them."""


def plain(words: Iterable[str]) -> str:
    """The plain names among ``words``, once each, separated by spaces."""
    return " ".join(dict.fromkeys(word for word in words if PLAIN.fullmatch(word)))


def sh_quoted(text: str) -> str:
    """``text`` in single quotes for bash and zsh."""
    return "'" + text.replace("'", "'\\''") + "'"


def fish_quoted(text: str) -> str:
    """``text`` in single quotes for fish."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def merged(positionals: Sequence[Positional]) -> Values | None:
    """What any of a command's positional arguments may be (None if it takes none)."""
    if not positionals:
        return None
    values = [positional.values for positional in positionals]
    return Values(values[0].label, tuple(word for v in values for word in v.words),
                  next((v.files for v in values if v.files), None),
                  any(v.folders for v in values))


def header(shell: str, grammar: Grammar, install: Sequence[str]) -> list[str]:
    """The comment that opens a script: what wrote it and how to install it."""
    return [f"# Completion of `teamsim` for {shell}, written by `teamsim completion {shell}` "
            f"(teamsim {grammar.version}).",
            "# Write it again after an upgrade: the names it completes are written into it.",
            *(f"# {line}" for line in install), ""]


# --- bash -----------------------------------------------------------------------------------

BASH_HELPERS = r"""_teamsim_words() {
    local IFS=$' \t\n'
    COMPREPLY+=($(compgen -W "$1" -- "$cur"))
}

_teamsim_files() {
    local IFS=$'\n' file
    compopt -o filenames 2>/dev/null
    for file in $(compgen -f -- "$cur"); do
        if [[ -d "$file" || "$file" == $1 ]]; then COMPREPLY+=("$file"); fi
    done
}

_teamsim_folders() {
    local IFS=$'\n'
    compopt -o filenames 2>/dev/null
    COMPREPLY+=($(compgen -d -- "$cur"))
}
"""


def bash_values(values: Values | None) -> str:
    """The bash commands that offer some values (``:`` when none can be offered)."""
    if values is None:
        return ":"
    parts = []
    if plain(values.words):
        parts.append(f"_teamsim_words {sh_quoted(plain(values.words))}")
    if values.files:
        parts.append(f"_teamsim_files {sh_quoted(values.files)}")
    elif values.folders:
        parts.append("_teamsim_folders")
    return "; ".join(parts) or ":"


def bash_case(pattern: str, options: Sequence[Option], rest: Values | None) -> list[str]:
    """The branch of one command (or of none yet: the global options and the commands)."""
    lines = [f"        {pattern})", '            case "$option" in']
    for option in options:
        if option.values is not None:
            due = '[[ "$cur" != -* ]]' if option.many else "((gap == 1))"
            lines.append(f"                {'|'.join(option.flags)}) if {due}; then "
                         f"{bash_values(option.values)}; return; fi ;;")
    flags = plain(flag for option in options for flag in option.flags)
    lines += ["            esac",
              f'            if [[ "$cur" == -* ]]; then _teamsim_words {sh_quoted(flags)}; '
              "return; fi",
              f"            {bash_values(rest)}",
              "            ;;"]
    return lines


def bash(grammar: Grammar) -> str:
    """The bash script: ``_teamsim``, registered with ``complete -F``."""
    skip = "|".join(flag for option in grammar.options if option.values is not None
                    for flag in option.flags)
    lines = header("bash", grammar, [
        'In this shell:   eval "$(teamsim completion bash)"',
        "For every shell: teamsim completion bash > "
        "~/.local/share/bash-completion/completions/teamsim"])
    lines += [BASH_HELPERS, "_teamsim() {",
              '    local cur="${COMP_WORDS[COMP_CWORD]}" command="" start=0 option="" gap=0 i',
              "    COMPREPLY=()",
              "    # The command: the first word that is no global option nor its value.",
              "    for ((i = 1; i < COMP_CWORD; i++)); do",
              '        case "${COMP_WORDS[i]}" in',
              f"            {skip}) ((i++)) ;;" if skip else "            --) ;;",
              "            -*) ;;",
              '            *) command="${COMP_WORDS[i]}"; start=$i; break ;;',
              "        esac",
              "    done",
              "    # The option whose value the word may be: the nearest option before it.",
              "    for ((i = COMP_CWORD - 1; i > start; i--)); do",
              '        if [[ "${COMP_WORDS[i]}" == -* ]]; then',
              '            option="${COMP_WORDS[i]}"; gap=$((COMP_CWORD - i)); break',
              "        fi",
              "    done",
              '    case "$command" in']
    commands = Values("command", tuple(command.name for command in grammar.commands))
    lines += bash_case('""', grammar.options, commands)
    for command in grammar.commands:
        lines += bash_case(command.name, command.options, merged(command.positionals))
    lines += ["    esac", "}", "", "complete -F _teamsim teamsim", ""]
    return "\n".join(lines)


# --- zsh ------------------------------------------------------------------------------------


def zsh_described(text: str) -> str:
    """Help text as an ``_arguments`` description takes it (brackets as parentheses,
    colons escaped)."""
    return text.replace("\\", "/").replace("[", "(").replace("]", ")").replace(":", "\\:")


def zsh_action(values: Values) -> str:
    """The ``_arguments`` action that offers some values (a space: none to offer)."""
    kinds = []
    if plain(values.words):
        kinds.append(f"names:{values.label}:({plain(values.words)})")
    if values.files:
        kinds.append(f'files:file:_files -g "{values.files}"')
    elif values.folders:
        kinds.append("folders:folder:_files -/")
    if not kinds:
        return " "
    if len(kinds) == 1:
        return kinds[0].split(":", 2)[2]
    return "{_alternative " + " ".join(sh_quoted(kind) for kind in kinds) + "}"


def zsh_option(option: Option) -> str:
    """An option as an ``_arguments`` spec."""
    described = f"[{zsh_described(option.help)}]"
    if option.values is None:
        argument = ""
    else:
        label = option.values.label.replace(":", ";")
        many = "*-*:" if option.many else ""
        argument = f":{many}{label}:{zsh_action(option.values)}"
    if len(option.flags) == 1:
        return sh_quoted(("*" if option.repeated else "") + option.flags[0] + described +
                         argument)
    exclusive = f"({' '.join(option.flags)})"
    return (sh_quoted(exclusive) + "{" + ",".join(option.flags) + "}" +
            sh_quoted(described + argument))


def zsh_positional(positional: Positional, place: int) -> str:
    """A positional argument as an ``_arguments`` spec."""
    label = positional.values.label.replace(":", ";")
    action = zsh_action(positional.values)
    if positional.nargs in ("*", "+"):
        return sh_quoted(f"*:{label}:{action}")
    optional = ":" if positional.nargs == "?" else ""
    return sh_quoted(f"{place}:{optional}{label}:{action}")


def zsh_function(name: str, specs: Sequence[str]) -> list[str]:
    """A function that calls ``_arguments`` with some specs."""
    return [f"{name}() {{", "    _arguments -s \\",
            *(f"        {spec} \\" for spec in specs[:-1]), f"        {specs[-1]}", "}", ""]


def zsh(grammar: Grammar) -> str:
    """The zsh script: ``_teamsim`` for ``fpath`` (autoloaded) or ``source``."""
    lines = ["#compdef teamsim", *header("zsh", grammar, [
        "In this shell (after compinit):  source <(teamsim completion zsh)",
        'For every shell: teamsim completion zsh > "${fpath[1]}/_teamsim", then a new shell'])]
    for command in grammar.commands:
        specs = [zsh_option(option) for option in command.options]
        specs += [zsh_positional(p, k) for k, p in enumerate(command.positionals, 1)]
        lines += zsh_function(f"_teamsim_{command.name}", specs)
    described = [sh_quoted(f"{command.name}:{command.help}") for command in grammar.commands]
    lines += ["_teamsim_commands() {", "    local -a commands",
              "    commands=(", *(f"        {entry}" for entry in described), "    )",
              "    _describe -t commands 'teamsim command' commands", "}", "",
              "_teamsim() {", '    local curcontext="$curcontext" state line',
              "    typeset -A opt_args", "    _arguments -C \\",
              *(f"        {zsh_option(option)} \\" for option in grammar.options),
              "        '1: :->command' \\", "        '*:: :->argument'",
              "    case $state in", "        command) _teamsim_commands ;;",
              "        argument)",
              '            curcontext="${curcontext%:*:*}:teamsim-$line[1]:"',
              "            case $line[1] in",
              *(f"                {c.name}) _teamsim_{c.name} ;;" for c in grammar.commands),
              "            esac ;;", "    esac", "}", "",
              'if [[ "$funcstack[1]" == _teamsim ]]; then',
              '    _teamsim "$@"', "else", "    compdef _teamsim teamsim", "fi", ""]
    return "\n".join(lines)


# --- fish -----------------------------------------------------------------------------------

FISH_HELPERS = """function __teamsim_command --description 'the teamsim command being completed'
    set -l words (commandline -opc)
    set -e words[1]
    while set -q words[1]
        switch $words[1]
            case {skip}
                set -e words[1]
            case '-*'
            case '*'
                echo $words[1]
                return 0
        end
        set -e words[1]
    end
    return 1
end

function __teamsim_using --description 'whether teamsim COMMAND is being completed'
    set -l command (__teamsim_command)
    test "$command" = "$argv[1]"
end

complete -c teamsim -f
"""


def fish_values(values: Values) -> str:
    """The ``complete`` arguments that offer some values."""
    if values.files:
        words = f" -a {fish_quoted(plain(values.words))}" if plain(values.words) else ""
        return f"-r -F{words}"
    if values.folders:
        return "-x -a '(__fish_complete_directories (commandline -ct))'"
    return f"-x -a {fish_quoted(plain(values.words))}" if plain(values.words) else "-x"


def fish_option(condition: str, option: Option) -> str:
    """A ``complete`` line of an option."""
    flags = " ".join(f"-l {flag[2:]}" if flag.startswith("--") else f"-s {flag[1:]}"
                     for flag in option.flags)
    values = f" {fish_values(option.values)}" if option.values is not None else ""
    return (f"complete -c teamsim -n {fish_quoted(condition)} {flags}{values} "
            f"-d {fish_quoted(option.help)}")


def fish_command(command: Command) -> list[str]:
    """The ``complete`` lines of one command."""
    condition = f"__teamsim_using {command.name}"
    lines = [fish_option(condition, option) for option in command.options]
    rest = merged(command.positionals)
    if rest is not None and plain(rest.words):
        lines.append(f"complete -c teamsim -n {fish_quoted(condition)} -a "
                     f"{fish_quoted(plain(rest.words))} -d {fish_quoted(rest.label)}")
    if rest is not None and (rest.files or rest.folders):
        lines.append(f"complete -c teamsim -n {fish_quoted(condition)} -F")
    return lines


def fish(grammar: Grammar) -> str:
    """The fish script: ``complete`` lines, each under the condition of its command."""
    skip = " ".join(flag for option in grammar.options if option.values is not None
                    for flag in option.flags) or "--"
    lines = header("fish", grammar, [
        "In this shell:   teamsim completion fish | source",
        "For every shell: teamsim completion fish > "
        "~/.config/fish/completions/teamsim.fish"])
    lines.append(FISH_HELPERS.replace("{skip}", skip))
    lines += [fish_option("not __teamsim_command", option) for option in grammar.options]
    lines += [f"complete -c teamsim -n 'not __teamsim_command' -a {command.name} "
              f"-d {fish_quoted(command.help)}" for command in grammar.commands]
    for command in grammar.commands:
        lines += ["", *fish_command(command)]
    return "\n".join(lines) + "\n"


WRITERS: dict[str, Callable[[Grammar], str]] = {"bash": bash, "zsh": zsh, "fish": fish}
"""Each shell's writer."""
