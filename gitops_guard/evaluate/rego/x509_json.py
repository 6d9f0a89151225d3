"""Certificates and CSRs as OPA's crypto.x509 builtins return them: Go's x509.Certificate
(and x509.CertificateRequest) marshalled to JSON, read from the DER (pemder.py): the
signature and key algorithm numbers, the extensions that fill Certificate fields, and the
record assembled from the single values of x509_values.py.
"""
from __future__ import annotations

from typing import Any

from gitops_guard.evaluate.rego.pemder import DerItem, der_items, der_oid, der_value
from gitops_guard.evaluate.rego.x509_values import (
    b64,
    dotted,
    general_names,
    go_int,
    go_time,
    ip_text,
    key_usage_bits,
    name_json,
    public_key_json,
    uri_text,
    url_json,
)

_SIGNATURE = {
    "1.2.840.113549.1.1.2": 1, "1.2.840.113549.1.1.4": 2, "1.2.840.113549.1.1.5": 3,
    "1.2.840.113549.1.1.11": 4, "1.2.840.113549.1.1.12": 5, "1.2.840.113549.1.1.13": 6,
    "1.2.840.10040.4.3": 7, "2.16.840.1.101.3.4.3.2": 8, "1.2.840.10045.4.1": 9,
    "1.2.840.10045.4.3.2": 10, "1.2.840.10045.4.3.3": 11, "1.2.840.10045.4.3.4": 12,
    "1.3.101.112": 16,
}
_PSS = "1.2.840.113549.1.1.10"
_PSS_BY_HASH = {"sha256": 13, "sha384": 14, "sha512": 15}
_KEY_ALGORITHM = {"1.2.840.113549.1.1.1": 1, "1.2.840.10040.4.1": 2, "1.2.840.10045.2.1": 3,
                  "1.3.101.112": 4}
_EXT_KEY_USAGE = {
    "2.5.29.37.0": 0, "1.3.6.1.5.5.7.3.1": 1, "1.3.6.1.5.5.7.3.2": 2, "1.3.6.1.5.5.7.3.3": 3,
    "1.3.6.1.5.5.7.3.4": 4, "1.3.6.1.5.5.7.3.5": 5, "1.3.6.1.5.5.7.3.6": 6,
    "1.3.6.1.5.5.7.3.7": 7, "1.3.6.1.5.5.7.3.8": 8, "1.3.6.1.5.5.7.3.9": 9,
    "1.3.6.1.4.1.311.10.3.3": 10, "2.16.840.1.113730.4.1": 11, "1.3.6.1.4.1.311.2.1.22": 12,
    "1.3.6.1.4.1.311.61.1.1": 13,
}
# extensions Go's parser understands; a critical one outside these is "unhandled"
_HANDLED = {f"2.5.29.{n}" for n in (14, 15, 17, 19, 30, 31, 32, 33, 35, 36, 37, 54)} | {
    "1.3.6.1.5.5.7.1.1"}


def _spki_algorithm(spki: bytes) -> int:
    algorithm = der_items(der_items(spki)[0].content)[0]
    return _KEY_ALGORITHM.get(dotted(der_oid(der_items(algorithm.content)[0].content)), 0)


def _signature_algorithm(item: DerItem, hash_name: str | None) -> int:
    oid = dotted(der_oid(der_items(item.content)[0].content))
    if oid == _PSS:
        return _PSS_BY_HASH.get(hash_name or "", 0)
    return _SIGNATURE.get(oid, 0)


def _extension_list(content: bytes) -> list[tuple[list[int], bool, bytes]]:
    out = []
    for ext in der_items(content):
        parts = der_items(ext.content)
        critical = len(parts) == 3 and parts[1].content != b"\x00"
        out.append((der_oid(parts[0].content), critical, parts[-1].content))
    return out


def _empty_cert() -> dict[str, Any]:
    nulls = ("AuthorityKeyId", "CRLDistributionPoints", "DNSNames", "EmailAddresses",
             "ExcludedDNSDomains", "ExcludedEmailAddresses", "ExcludedIPRanges",
             "ExcludedURIDomains", "ExtKeyUsage", "ExtraExtensions", "IPAddresses",
             "IssuingCertificateURL", "OCSPServer", "PermittedDNSDomains",
             "PermittedEmailAddresses", "PermittedIPRanges", "PermittedURIDomains",
             "Policies", "PolicyIdentifiers", "PolicyMappings", "SubjectKeyId", "URIs",
             "UnhandledCriticalExtensions", "UnknownExtKeyUsage")
    out: dict[str, Any] = dict.fromkeys(nulls)
    out.update({k: 0 for k in ("InhibitAnyPolicy", "InhibitPolicyMapping", "KeyUsage",
                               "MaxPathLen", "RequireExplicitPolicy")})
    out.update({k: False for k in ("BasicConstraintsValid", "InhibitAnyPolicyZero",
                                   "InhibitPolicyMappingZero", "IsCA", "MaxPathLenZero",
                                   "PermittedDNSDomainsCritical",
                                   "RequireExplicitPolicyZero")})
    return out


def _ip_range(data: bytes) -> dict[str, Any]:
    half = len(data) // 2
    return {"IP": ip_text(data[:half]), "Mask": b64(data[half:])}


def _name_constraints(out: dict[str, Any], critical: bool, value: bytes) -> None:
    out["PermittedDNSDomainsCritical"] = critical
    for subtrees in der_items(der_items(value)[0].content):
        which = "Permitted" if subtrees.tag == 0xA0 else "Excluded"
        for subtree in der_items(subtrees.content):
            base = der_items(subtree.content)[0]
            key, item = {0x82: ("DNSDomains", base.content.decode("latin-1")),
                         0x81: ("EmailAddresses", base.content.decode("latin-1")),
                         0x86: ("URIDomains", base.content.decode("latin-1")),
                         0x87: ("IPRanges", None)}.get(base.tag, (None, None))
            if key is None:
                continue
            entry = _ip_range(base.content) if key == "IPRanges" else item
            out[which + key] = [*(out[which + key] or []), entry]


def _apply_extension(out: dict[str, Any], oid: str, critical: bool, value: bytes) -> None:
    top = der_items(value)[0] if value else DerItem(0, b"", b"")
    if oid == "2.5.29.15":
        out["KeyUsage"] = key_usage_bits(top.content)
    elif oid == "2.5.29.19":
        out["BasicConstraintsValid"] = True
        parts = der_items(top.content)
        out["IsCA"] = bool(parts and parts[0].tag == 0x01 and parts[0].content != b"\x00")
        lengths = [p for p in parts if p.tag == 0x02]
        out["MaxPathLen"] = int.from_bytes(lengths[0].content, "big") if lengths else -1
        out["MaxPathLenZero"] = out["MaxPathLen"] == 0
    elif oid == "2.5.29.17":
        names = general_names(top.content)
        out["DNSNames"], out["EmailAddresses"] = names["dns"] or None, names["email"] or None
        out["IPAddresses"] = names["ip"] or None
        out["URIs"] = [url_json(u) for u in names["uri"]] or None
        out["URIStrings"] = [uri_text(u) for u in names["uri"]] or None
    elif oid == "2.5.29.37":
        for item in der_items(top.content):
            arcs = der_oid(item.content)
            known = _EXT_KEY_USAGE.get(dotted(arcs))
            key, entry = ("ExtKeyUsage", known) if known is not None else (
                "UnknownExtKeyUsage", arcs)
            out[key] = [*(out[key] or []), entry]
    elif oid == "2.5.29.14":
        out["SubjectKeyId"] = b64(top.content)
    elif oid == "2.5.29.35":
        ids = [p for p in der_items(top.content) if p.tag == 0x80]
        out["AuthorityKeyId"] = b64(ids[0].content) if ids else None
    elif oid == "2.5.29.31":
        urls = []
        for point in der_items(top.content):
            for name in der_items(point.content):
                if name.tag == 0xA0:  # distributionPoint: [0] fullName
                    for full in der_items(name.content):
                        if full.tag == 0xA0:
                            urls += general_names(full.content)["uri"]
        out["CRLDistributionPoints"] = urls or None
    elif oid == "1.3.6.1.5.5.7.1.1":
        for access in der_items(top.content):
            method, location = der_items(access.content)[:2]
            where = {"1.3.6.1.5.5.7.48.1": "OCSPServer",
                     "1.3.6.1.5.5.7.48.2": "IssuingCertificateURL"}.get(
                dotted(der_oid(method.content)))
            if where and location.tag == 0x86:
                out[where] = [*(out[where] or []), location.content.decode("latin-1")]
    elif oid == "2.5.29.32":
        policies = [der_oid(der_items(p.content)[0].content) for p in der_items(top.content)]
        out["PolicyIdentifiers"] = policies
        out["Policies"] = [dotted(a) for a in policies]
    elif oid == "2.5.29.30":
        _name_constraints(out, critical, value)


def certificate_json(der: bytes, hash_name: str | None, public_key: Any,
                     uri_strings: bool = True) -> dict[str, Any]:
    """One certificate as Go's encoding/json writes x509.Certificate (plus OPA's
    URIStrings when `uri_strings`)."""
    tbs, signature_algorithm, signature = der_items(der_items(der)[0].content)[:3]
    fields = der_items(tbs.content)
    version = 1
    if fields[0].tag == 0xA0:
        version = int.from_bytes(der_items(fields[0].content)[0].content, "big") + 1
        fields = fields[1:]
    serial, _, issuer, validity, subject, spki = fields[:6]
    out = _empty_cert()
    extensions = []
    for extra in fields[6:]:
        if extra.tag == 0xA3:
            for arcs, critical, value in _extension_list(der_items(extra.content)[0].content):
                extensions.append({"Id": arcs, "Critical": critical, "Value": b64(value)})
                _apply_extension(out, dotted(arcs), critical, value)
                if critical and dotted(arcs) not in _HANDLED:
                    out["UnhandledCriticalExtensions"] = [
                        *(out["UnhandledCriticalExtensions"] or []), arcs]
    not_before, not_after = der_items(validity.content)[:2]
    out.update({
        "Raw": b64(der_items(der)[0].raw), "RawTBSCertificate": b64(tbs.raw),
        "RawSubjectPublicKeyInfo": b64(spki.raw), "RawSubject": b64(subject.raw),
        "RawIssuer": b64(issuer.raw), "Signature": b64(signature.content[1:]),
        "SignatureAlgorithm": _signature_algorithm(signature_algorithm, hash_name),
        "PublicKeyAlgorithm": _spki_algorithm(spki.raw),
        "PublicKey": public_key_json(public_key), "Version": version,
        "SerialNumber": go_int(int.from_bytes(serial.content, "big", signed=True)),
        "Issuer": name_json(issuer.raw), "Subject": name_json(subject.raw),
        "NotBefore": go_time(not_before), "NotAfter": go_time(not_after),
        "Extensions": extensions or None,
    })
    if uri_strings:
        out.setdefault("URIStrings", None)
    else:
        out.pop("URIStrings", None)
    return out


def csr_json(der: bytes, hash_name: str | None, public_key: Any) -> dict[str, Any]:
    """x509.CertificateRequest as Go's encoding/json writes it."""
    info, signature_algorithm, signature = der_items(der_items(der)[0].content)[:3]
    version, subject, spki, *rest = der_items(info.content)
    attributes, extensions = [], []
    names: dict[str, list[Any]] = {"dns": [], "email": [], "ip": [], "uri": []}
    for attribute in (der_items(rest[0].content) if rest and rest[0].tag == 0xA0 else []):
        oid_item, values = der_items(attribute.content)[:2]
        oid = der_oid(oid_item.content)
        try:  # Go keeps an attribute only when it reads as [][]AttributeTypeAndValue
            value = [[{"Type": der_oid(der_items(atv.content)[0].content),
                       "Value": der_value(der_items(atv.content)[-1])}
                      for atv in der_items(seq.content)] for seq in der_items(values.content)]
        except (ValueError, IndexError):
            continue
        attributes.append({"Type": oid, "Value": value})
        if dotted(oid) != "1.2.840.113549.1.9.14":
            continue
        for seq in der_items(values.content):
            for arcs, critical, raw in _extension_list(seq.content):
                extensions.append({"Id": arcs, "Critical": critical, "Value": b64(raw)})
                if dotted(arcs) == "2.5.29.17":
                    names = general_names(der_items(raw)[0].content)
    return {
        "Raw": b64(der_items(der)[0].raw), "RawTBSCertificateRequest": b64(info.raw),
        "RawSubjectPublicKeyInfo": b64(spki.raw), "RawSubject": b64(subject.raw),
        "Version": int.from_bytes(version.content, "big"),
        "Signature": b64(signature.content[1:]),
        "SignatureAlgorithm": _signature_algorithm(signature_algorithm, hash_name),
        "PublicKeyAlgorithm": _spki_algorithm(spki.raw),
        "PublicKey": public_key_json(public_key), "Subject": name_json(subject.raw),
        "Attributes": attributes or None, "Extensions": extensions or None,
        "ExtraExtensions": None, "DNSNames": names["dns"] or None,
        "EmailAddresses": names["email"] or None, "IPAddresses": names["ip"] or None,
        "URIs": [url_json(u) for u in names["uri"]] or None,
    }
