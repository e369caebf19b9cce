from __future__ import annotations

from collections import Counter

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from aupguard.engine.packs import describe_enforcement
from aupguard.web.lib.engine_bridge import pack_for
from aupguard.web.org.models import School
from aupguard.web.policies.queries import latest_versions, versions_of


def pack_list(request: HttpRequest) -> HttpResponse:
    rows = []
    schools = list(School.objects.select_related("trust"))
    for version in latest_versions():
        pack = pack_for(version)
        mechanisms = Counter(m for clause in pack.clauses for m in clause.mechanisms)
        following = [s for s in schools if s.effective_pack_id == pack.id]
        rows.append(
            {"version": version, "pack": pack, "mechanisms": sorted(mechanisms.items()), "schools": following}
        )
    return render(request, "policies/pack_list.html", {"rows": rows})


def pack_detail(request: HttpRequest, pack_id: str, version_code: str | None = None) -> HttpResponse:
    versions = list(versions_of(pack_id))
    if version_code is not None:
        versions_matching = [v for v in versions if v.version_code == version_code]
        if not versions_matching:
            raise Http404("no such version of this policy")
        version = versions_matching[0]
    elif versions:
        version = versions[0]
    else:
        raise Http404("no such policy")
    pack = pack_for(version)
    sections = [
        (title, [(clause, describe_enforcement(clause)) for clause in clauses])
        for title, clauses in pack.sections()
    ]
    return render(
        request,
        "policies/pack_detail.html",
        {
            "version": version,
            "versions": versions,
            "pack": pack,
            "sections": sections,
            "authorities": pack.authorities(),
            "roles": dict(pack.roles),
        },
    )
