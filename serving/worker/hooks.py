"""Resolve a user's inference module into one frozen set of hooks.

Resolution happens once, when a worker loads. Hooks the module does not define are
filled with the runtime's defaults. A hook asks for the request context by naming its
last parameter ``context`` (detected by name, not by counting arguments, so
``model_fn(model_dir, gpu_id=None)`` is never handed a context by accident).
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from serving.errors import ConfigError

# hook name -> the positional arguments the runtime passes (context comes on top).
SIGNATURES: dict[str, tuple[str, ...]] = {
    "pre_model_fn": ("model_dir",),
    "model_fn": ("model_dir",),
    "model_warmup_fn": ("model_dir", "model"),
    "input_fn": ("input_data", "content_type"),
    "predict_fn": ("data", "model"),
    "output_fn": ("prediction", "accept"),
    "transform_fn": ("model", "input_data", "content_type", "accept"),
}
HOOK_NAMES = tuple(SIGNATURES)
_PIPELINE = ("input_fn", "predict_fn", "output_fn")


@dataclass(frozen=True)
class Hook:
    """One callable hook, knowing whether it wants the context."""

    name: str
    fn: Callable[..., Any]
    wants_context: bool
    is_default: bool

    def __call__(self, *args: Any, context: Any = None) -> Any:
        if self.wants_context:
            return self.fn(*args, context)
        return self.fn(*args)


@dataclass(frozen=True)
class Hooks:
    """The resolved hooks of one model."""

    model_fn: Hook
    input_fn: Hook
    predict_fn: Hook
    output_fn: Hook
    pre_model_fn: Hook | None = None
    model_warmup_fn: Hook | None = None
    transform_fn: Hook | None = None

    @property
    def can_stack_batches(self) -> bool:
        """Decoded tensors of a batch may share one forward pass only when the runtime
        itself runs the model, i.e. ``predict_fn`` is the default one."""
        return self.transform_fn is None and self.predict_fn.is_default


def check_hook_names(defined: Iterable[str]) -> None:
    """Refuse combinations the AWS toolkit also refuses, naming the offenders."""
    names = set(defined)
    if "transform_fn" in names:
        clash = [name for name in _PIPELINE if name in names]
        if clash:
            raise ConfigError(
                f"the inference module defines transform_fn together with {', '.join(clash)}; "
                "transform_fn replaces input_fn, predict_fn and output_fn: keep either "
                "transform_fn alone or the input_fn/predict_fn/output_fn set"
            )


#: In :func:`declared_hooks`' answer: the module may bind hooks that cannot be read
#: without running it (``from x import *``, ``globals()``, ``setattr``, ``exec``).
UNKNOWN_HOOKS = "<unknown>"

# Calls at module level that can bind any name.
_DYNAMIC_BINDERS = frozenset({"globals", "setattr", "exec", "vars"})


#: Hooks that do a request's work in the user's code (the runtime runs no forward pass).
REQUEST_HOOKS = frozenset({"predict_fn", "transform_fn", "output_fn"})


def runtime_runs_requests(declared: Collection[str]) -> bool:
    """Whether code that declares ``declared`` (:func:`declared_hooks`) leaves each
    request's forward pass and answer to the runtime: none of :data:`REQUEST_HOOKS`, and
    nothing bound that cannot be read without running it.

    >>> runtime_runs_requests({"model_fn", "input_fn"}), runtime_runs_requests({"output_fn"})
    (True, False)
    """
    return not (REQUEST_HOOKS | {UNKNOWN_HOOKS}).intersection(declared)


def declared_hooks(source: str, filename: str = "<inference module>") -> set[str]:
    """Hook names the module binds at its top level (in ``if``, ``try`` and ``with``
    blocks too), read without importing it; :data:`UNKNOWN_HOOKS` among them when it may
    bind names that cannot be read so."""
    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError as error:
        raise ConfigError(f"{filename} line {error.lineno}: syntax error: {error.msg}") from None
    names: set[str] = set()
    unknown = False
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                unknown |= alias.name == "*"
                names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.If | ast.Try | ast.With | ast.For | ast.While):
            for block in ("body", "orelse", "finalbody"):
                pending.extend(getattr(node, block, []))
            for handler in getattr(node, "handlers", []):
                pending.extend(handler.body)
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            unknown |= any(
                isinstance(n, ast.Call)
                and isinstance(n.func, ast.Name)
                and n.func.id in _DYNAMIC_BINDERS
                for n in ast.walk(node)
            )
    return (names & set(HOOK_NAMES)) | ({UNKNOWN_HOOKS} if unknown else set())


def make_hook(name: str, fn: Any, *, is_default: bool) -> Hook:
    """Wrap ``fn`` as hook ``name``, checking it accepts the arguments the runtime passes."""
    if not callable(fn):
        raise ConfigError(f"{name} must be a function, got {type(fn).__name__}")
    expected = SIGNATURES[name]
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):  # builtins without a signature: trust them
        return Hook(name, fn, wants_context=False, is_default=is_default)
    parameters = list(signature.parameters.values())
    wants_context = bool(parameters) and parameters[-1].name == "context"
    arguments = [None] * (len(expected) + (1 if wants_context else 0))
    try:
        signature.bind(*arguments)
    except TypeError:
        shown = ", ".join(expected + (("context",) if wants_context else ()))
        raise ConfigError(
            f"{name}{signature} cannot be called as {name}({shown}); "
            f"define it as def {name}({', '.join(expected)}) or add a last parameter 'context'"
        ) from None
    return Hook(name, fn, wants_context=wants_context, is_default=is_default)


def resolve_hooks(user: Mapping[str, Any], defaults: Mapping[str, Callable[..., Any]]) -> Hooks:
    """Build :class:`Hooks` from a user module's namespace (``vars(module)``) and defaults.

    ``defaults`` must provide model_fn, input_fn, predict_fn and output_fn.
    """
    defined = {name for name in HOOK_NAMES if user.get(name) is not None}
    check_hook_names(defined)
    resolved: dict[str, Hook | None] = {}
    for name in HOOK_NAMES:
        if name in defined:
            resolved[name] = make_hook(name, user[name], is_default=False)
        elif name in defaults:
            resolved[name] = make_hook(name, defaults[name], is_default=True)
        else:
            resolved[name] = None
    return Hooks(**resolved)  # type: ignore[arg-type]
