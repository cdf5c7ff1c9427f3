"""Every environment variable the service reads, from its settings classes."""

from __future__ import annotations

import importlib
import inspect

from pydantic_settings import BaseSettings

SETTINGS_MODULES = (
    "cti.settings",
    "cti.routing.settings",
    "crm_core.settings",
    "cti.recordings.settings",
    "cti.voicemail.settings",
)


def env_names(settings_class: type[BaseSettings]) -> set[str]:
    prefix = settings_class.model_config.get("env_prefix", "")
    names = set()
    for name, field in settings_class.model_fields.items():
        alias = field.validation_alias or field.alias
        names.add(str(alias) if isinstance(alias, str) else f"{prefix}{name}".upper())
    return names


def settings_classes() -> list[type[BaseSettings]]:
    classes = []
    for module_name in SETTINGS_MODULES:
        module = importlib.import_module(module_name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseSettings) and value.__module__ == module_name:
                classes.append(value)
    return classes


def every_env_name() -> set[str]:
    return set().union(*(env_names(cls) for cls in settings_classes()))
