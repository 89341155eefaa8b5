"""Two import-linter contract types for rules that must hold for modules not written yet.

``lint-imports`` (run by bin/test) checks the contracts in pyproject.toml. The built-in
``forbidden`` type names existing modules only; these name modules by their role, so an
app's future ``views`` or ``tasks`` module is covered the day it is added.

- ``models_only``: each listed app may import another listed app's ``models`` (and nothing else of it).
- ``role_forbidden``: modules with one of ``source_roles`` as their last name (``models``) never import,
  directly or through others, a module with one of ``forbidden_roles`` (``views``, ``api``, ``tasks``...).
"""

from __future__ import annotations

from importlinter import Contract, ContractCheck, fields, output


def _app(module: str) -> str:
    return module.split(".")[0]


def _role(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


class ModelsOnlyContract(Contract):
    apps = fields.ListField(subfield=fields.StringField())
    allowed_roles = fields.ListField(subfield=fields.StringField())

    def check(self, graph, verbose: bool) -> ContractCheck:
        apps = set(self.apps)
        allowed = set(self.allowed_roles)
        broken = []
        for importer in sorted(graph.modules):
            if _app(importer) not in apps:
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                if _app(imported) in apps and _app(imported) != _app(importer) and _role(imported) not in allowed:
                    broken.append((importer, imported))
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported in check.metadata["broken"]:
            output.print_error(f"{importer} imports {imported}: only another app's models may be imported.")
            output.new_line()


class RoleForbiddenContract(Contract):
    source_roles = fields.ListField(subfield=fields.StringField())
    forbidden_roles = fields.ListField(subfield=fields.StringField())

    def check(self, graph, verbose: bool) -> ContractCheck:
        sources = [m for m in graph.modules if _role(m) in set(self.source_roles)]
        forbidden = [m for m in graph.modules if _role(m) in set(self.forbidden_roles)]
        broken = []
        for source in sorted(sources):
            for target in sorted(forbidden):
                chain = graph.find_shortest_chain(importer=source, imported=target)
                if chain:
                    broken.append(chain)
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for chain in check.metadata["broken"]:
            output.print_error(" -> ".join(chain))
            output.new_line()
