"""YAML syntax errors in French, saying how to fix the usual ones: a tab, a wrong indentation, an unquoted « : » in
a text, a bracket or a quote left open. What a person editing a policy file (or facts) by hand meets first."""
from __future__ import annotations


def yaml_problem(exc, text: str) -> str:
    """A YAML syntax error in French, saying how to fix the usual ones (tab, indentation, « : » in a text)."""
    problem = str(getattr(exc, "problem", None) or exc)
    mark, context = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
    lines = text.splitlines()
    line = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    column = mark.column if mark is not None else 0
    since = f" ligne {context.line + 1}" if context is not None else ""
    if "'\\t'" in problem:
        return (f"YAML invalide : tabulation en colonne {column + 1} — YAML n'indente qu'avec des espaces : "
                "remplacez la tabulation par des espaces")
    flow = problem.startswith("expected ',' or '}', but got ':'")
    if problem == "mapping values are not allowed here" or flow:
        before = line[:column]
        segment = before.rsplit("{", 1)[-1].rsplit(",", 1)[-1] if flow else before.lstrip(" -")
        key, _, value = segment.lstrip().partition(": ")
        if value:
            value = (value + line[column:]).strip()
            value = value[:value.index("}")].rstrip(", ") if flow and "}" in value else value
            quoted = value.replace('"', '\\"')
            return (f"YAML invalide : « : » dans le texte de '{key}' — un texte qui contient « : » s'écrit entre "
                    f'guillemets : {key}: "{quoted}"')
        return ("YAML invalide : indentation — cette ligne est plus indentée que la clé qui la précède dans son bloc ; "
                "alignez-la sur ses voisines (mêmes espaces en début de ligne)")
    if problem.startswith("expected <block end>"):
        return (f"YAML invalide : indentation — cette ligne ne s'aligne sur aucun bloc au-dessus (bloc ouvert{since}) ; "
                "indentez-la comme les autres clés ou éléments (« - ») de son bloc, avec des espaces")
    if problem.startswith("expected ',' or ']'"):
        return f"YAML invalide : liste « [ » ouverte{since} jamais fermée — fermez-la par « ] », ses éléments séparés par « , »"
    if problem.startswith("expected ',' or '}'"):
        return f"YAML invalide : bloc « {{ » ouvert{since} jamais fermé — fermez-le par « }} », ses clés séparées par « , »"
    if "end of stream" in problem and "quoted" in str(getattr(exc, "context", "")):
        return f"YAML invalide : guillemet ouvert{since} jamais fermé — fermez le texte par le même guillemet"
    where = f" (colonne {column + 1})" if mark is not None else ""
    return f"YAML invalide : {problem}{where}"
