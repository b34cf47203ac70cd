"""Every user-facing string is translatable (docs/accessibility-and-languages.md, "How to"):
the message of a `ValidationError` (or a value of the dict given to it), a `PermissionDenied`,
an `Http404`, django-ninja's `HttpError` (its second argument) and `messages.<level>(request, ...)`
is never a bare string literal or f-string in src/safeops. It is `gettext(...)` (with named
placeholders for values), a `gettext_lazy` constant, or a `gettext_noop` constant given through
`gettext` where it is raised. Generated migrations are left out."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Called with the message first: ValidationError("..."), forms.ValidationError("..."), ...
MESSAGE_FIRST = {"ValidationError", "PermissionDenied", "Http404"}
# messages.<level>(request, message) and messages.add_message(request, level, message)
MESSAGE_LEVELS = {"debug", "info", "success", "warning", "error"}


def _is_bare_text(node: ast.expr) -> bool:
    """A literal text, an f-string, or text built from one ("..." % x, "..." + x, "...".format)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return _is_bare_text(node.left) or _is_bare_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "format" and _is_bare_text(node.func.value)
    if isinstance(node, ast.IfExp):
        return _is_bare_text(node.body) or _is_bare_text(node.orelse)
    if isinstance(node, ast.BoolOp):
        return any(_is_bare_text(value) for value in node.values)
    if isinstance(node, ast.List | ast.Tuple):
        return any(_is_bare_text(element) for element in node.elts)
    if isinstance(node, ast.Dict):  # ValidationError({"field": "..."}): the values are shown
        return any(_is_bare_text(value) for value in node.values)
    return False


def _message(call: ast.Call) -> ast.expr | None:
    """The argument of `call` that is shown to the user, if `call` is one that shows one."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    position = None
    if name in MESSAGE_FIRST:
        position = 0
    elif name == "HttpError":
        position = 1
    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        if func.value.id == "messages" and func.attr in MESSAGE_LEVELS:
            position = 1
        elif func.value.id == "messages" and func.attr == "add_message":
            position = 2
    if position is None:
        return None
    for keyword in call.keywords:
        if keyword.arg == "message":
            return keyword.value
    return call.args[position] if len(call.args) > position else None


def _untranslated_lines(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            message = _message(node)
            if message is not None and _is_bare_text(message):
                lines.append(node.lineno)
    return sorted(lines)


def _untranslated_messages(src: Path) -> list[str]:
    found = []
    for path in sorted(src.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line in _untranslated_lines(path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(src)}:{line}")
    return found


def test_no_user_facing_message_is_a_bare_string_literal() -> None:
    found = _untranslated_messages(ROOT / "src")
    assert found == [], "Mark these messages with gettext (or a gettext_lazy constant):\n" + (
        "\n".join(found)
    )


BAD = """
def view(request, value):
    raise ValidationError("Plain text.")  # 3
    raise ValidationError(f"Unknown {value}.")  # 4
    raise ValidationError({"field": "Plain text."})  # 5
    raise forms.ValidationError({"field": ["Plain text."]})  # 6
    raise PermissionDenied("You may not.")  # 7
    raise Http404("No such thing.")  # 8
    raise HttpError(403, "You may not.")  # 9
    messages.error(request, "It failed.")  # 10
    messages.success(request, f"Saved {value}.")  # 11
    messages.add_message(request, messages.INFO, "Noted.")  # 12
    raise ValidationError(message="Plain text.")  # 13
    raise ValidationError("Unknown %s." % value)  # 14
    raise ValidationError("Unknown {}.".format(value))  # 15
    messages.error(request, f"{value}: x" if value else "x")  # 16
"""

GOOD = """
NO_ACCESS = gettext_lazy("You may not.")
REFUSED = gettext_noop("Refused.")

def view(request, value, error):
    raise ValidationError(gettext("Plain text."))
    raise ValidationError(gettext("Unknown %(value)s.") % {"value": value})
    raise ValidationError(_("Unknown {value}.").format(value=value))
    raise ValidationError({"field": gettext("Plain text."), "other": [REFUSED]})
    raise ValidationError(gettext(REFUSED), code="refused")
    raise PermissionDenied(NO_ACCESS)
    raise PermissionDenied
    raise Http404(_("No such thing."))
    raise HttpError(403, str(NO_ACCESS))
    messages.error(request, "; ".join(error.messages))
    messages.add_message(request, messages.INFO, gettext("Noted."))
    warnings.filterwarnings("ignore", message="Not shown to anyone.")
    logger.error("Not shown to anyone: %s", value)
"""


def test_a_bare_message_is_found(tmp_path: Path) -> None:
    assert _untranslated_lines(BAD) == list(range(3, 17))
    assert _untranslated_lines(GOOD) == []
    (tmp_path / "app" / "migrations").mkdir(parents=True)
    (tmp_path / "app" / "views.py").write_text(BAD)
    (tmp_path / "app" / "migrations" / "0001_initial.py").write_text(BAD)
    assert _untranslated_messages(tmp_path) == [f"app/views.py:{n}" for n in range(3, 17)]
