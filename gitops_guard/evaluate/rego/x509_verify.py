"""Certificate chain verification as Go's (*x509.Certificate).Verify does it with OPA's
options (crypto.x509.parse_and_verify_certificates): one root, a pool of intermediates,
the current time, key usage "server auth"; the first chain found, leaf first.

The checks Go makes, in its order: each certificate inside its validity period; no
unhandled critical extension on the leaf; a parent's subject equal to the child's issuer
and its signature over the child (SHA-1 and MD5 signatures refused); a parent that is a
CA (basic constraints) with certSign in its key usage when it has one; path length
limits; name constraints (DNS, email, IP, URI host) over the SANs below; then the extended
key usages along the chain allow server auth.
"""
from __future__ import annotations

import datetime as dt
import ipaddress
from typing import Any
from urllib.parse import urlsplit

from gitops_guard.evaluate.rego.x509_cert import cert_json

_MAX_DEPTH = 100
_INSECURE = {1, 2, 3, 7, 9}  # MD2/MD5/SHA-1 with RSA, DSA with SHA-1, ECDSA with SHA-1
_ANY, _SERVER_AUTH, _MS_SGC, _NS_SGC = 0, 1, 10, 11


def _facts(cert: Any) -> dict[str, Any]:
    return cert_json(cert, uri_strings=False)


def _in_time(cert: Any, now: dt.datetime) -> bool:
    return bool(cert.not_valid_before_utc <= now <= cert.not_valid_after_utc)


def _signed_by(child: Any, child_facts: dict[str, Any], parent: Any,
               parent_facts: dict[str, Any]) -> bool:
    if child.issuer.public_bytes() != parent.subject.public_bytes():
        return False
    if (parent_facts["Version"] == 3 and not parent_facts["BasicConstraintsValid"]) or (
            parent_facts["BasicConstraintsValid"] and not parent_facts["IsCA"]):
        return False
    if parent_facts["KeyUsage"] and not parent_facts["KeyUsage"] & 32:  # certSign
        return False
    if child_facts["SignatureAlgorithm"] in _INSECURE:
        return False
    try:
        child.verify_directly_issued_by(parent)
    except Exception:  # bad signature, unsupported algorithm, name mismatch
        return False
    return True


def _domain_ok(domain: str, constraint: str) -> bool:
    """Go's matchDomainConstraint: `example.com` covers itself and its subdomains,
    `.example.com` only the subdomains."""
    if not constraint:
        return True
    domain, constraint = domain.lower(), constraint.lower()
    if constraint.startswith("."):
        return domain.endswith(constraint) and len(domain) > len(constraint)
    return domain == constraint or domain.endswith("." + constraint)


def _email_ok(email: str, constraint: str) -> bool:
    if "@" in constraint:
        return email.lower() == constraint.lower()
    return _domain_ok(email.rpartition("@")[2], constraint)


def _ip_ok(address: str, network: dict[str, Any]) -> bool:
    import base64

    ip = ipaddress.ip_address(address)
    base = ipaddress.ip_address(network["IP"])
    mask = int.from_bytes(base64.b64decode(network["Mask"]), "big")
    if ip.version != base.version:
        return False
    return int(ip) & mask == int(base) & mask


def _names_ok(ca: dict[str, Any], cert: dict[str, Any]) -> bool:
    """The certificate's SANs inside the CA's name constraints."""
    kinds = (("DNSDomains", cert["DNSNames"], _domain_ok),
             ("EmailAddresses", cert["EmailAddresses"], _email_ok),
             ("IPRanges", cert["IPAddresses"], _ip_ok),
             ("URIDomains", [urlsplit(u["Scheme"] + "://" + u["Host"]).hostname or ""
                             for u in cert["URIs"] or []], _domain_ok))
    for key, names, ok in kinds:
        permitted, excluded = ca["Permitted" + key] or [], ca["Excluded" + key] or []
        for name in names or []:
            if any(ok(name, c) for c in excluded):
                return False
            if permitted and not any(ok(name, c) for c in permitted):
                return False
    return True


def _usage_ok(chain: list[dict[str, Any]]) -> bool:
    for facts in reversed(chain):
        usages = facts["ExtKeyUsage"] or []
        if not usages and not facts["UnknownExtKeyUsage"]:
            continue
        if _ANY in usages:
            continue
        if not ({_SERVER_AUTH, _MS_SGC, _NS_SGC} & set(usages)):
            return False
    return True


def verify_chain(leaf: Any, intermediates: list[Any], root: Any,
                 now: dt.datetime) -> list[Any] | None:
    """The first valid chain [leaf, ..., root], or None."""
    leaf_facts = _facts(leaf)
    if leaf_facts["UnhandledCriticalExtensions"] or not _in_time(leaf, now):
        return None
    if leaf == root:
        return [leaf] if _usage_ok([leaf_facts]) else None
    pool = [(root, True)] + [(c, False) for c in intermediates]
    facts = {id(c): _facts(c) for c, _ in pool}
    facts[id(leaf)] = leaf_facts

    def build(chain: list[Any]) -> list[Any] | None:
        if len(chain) > _MAX_DEPTH:
            return None
        child = chain[-1]
        for candidate, is_root in pool:
            if any(candidate == c for c in chain):
                continue
            cand = facts[id(candidate)]
            if not _signed_by(child, facts[id(child)], candidate, cand):
                continue
            if not _in_time(candidate, now):
                continue
            if not is_root and not (cand["BasicConstraintsValid"] and cand["IsCA"]):
                continue
            if cand["BasicConstraintsValid"] and cand["MaxPathLen"] >= 0 and (
                    len(chain) - 1 > cand["MaxPathLen"]):
                continue
            if not all(_names_ok(cand, facts[id(c)]) for c in chain):
                continue
            path = [*chain, candidate]
            if is_root:
                if _usage_ok([facts[id(c)] for c in path]):
                    return path
                continue
            found = build(path)
            if found is not None:
                return found
        return None

    return build([leaf])
