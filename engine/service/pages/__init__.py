"""The web pages of ``clea serve``: server-rendered HTML in French for people (no script, nothing from a CDN).

    /                                   Accueil
    /politiques                         Politiques en service, and the last reload
    /parametres, /politiques/{id}/parametres[/{param}]
    /reglement, /politiques/{id}/reglement
    /changements                        business diff between two revisions; POSTed dossiers: the verdicts that change
    /evaluer                            evaluate a facts document: the verdict as a page
    /propositions[/{n}]                 proposals of a change, their checks, impact and approval; publications
                                        (engine/proposals/; the form: /politiques/{id}/parametres/{param}/proposer)
    /decisions[/{decision_id}]          the decision log (the role instruction; other systems: its bearer token)
    /connexion, /deconnexion            signing in and out (``clea serve --accounts``: engine/service/accounts.py)
    /statique/...                       the style sheet and icons, served here

Every page has a stable URL; errors are pages too (a browser asking for a missing page gets one in French,
other clients keep the API's problem documents).
"""
from .mounting import install

__all__ = ["install"]
