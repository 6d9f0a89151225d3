"""Certificates and CSRs as OPA's crypto.x509 builtins return them: Go's x509.Certificate
(and x509.CertificateRequest) marshalled to JSON, read from the DER (pemder.py).

Integers beyond 64 bits (most serial numbers, RSA moduli, curve points) are written as
decimal strings: the embedded engine's extension bridge carries no bigger numbers
(OPA gives exact numbers).
"""
from __future__ import annotations

import base64
import ipaddress
from typing import Any
from urllib.parse import unquote, urlsplit

from gitops_guard.evaluate.rego.pemder import DerItem, der_items, der_oid, der_value

_NAME_FIELDS = {3: "CommonName", 5: "SerialNumber", 6: "Country", 7: "Locality", 8: "Province",
                9: "StreetAddress", 10: "Organization", 11: "OrganizationalUnit",
                17: "PostalCode"}
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


def go_int(value: int) -> int | str:
    return value if -(1 << 63) <= value < (1 << 64) else str(value)


def b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode()


def _dotted(arcs: list[int]) -> str:
    return ".".join(str(a) for a in arcs)


def name_json(raw: bytes) -> dict[str, Any]:
    """pkix.Name: the Names in DER order and the well-known fields filled from them."""
    out: dict[str, Any] = {k: None for k in _NAME_FIELDS.values()}
    out.update(CommonName="", SerialNumber="", Names=[], ExtraNames=None)
    for rdn in der_items(der_items(raw)[0].content):
        for atv in der_items(rdn.content):
            oid_item, value_item = der_items(atv.content)[:2]
            oid, value = der_oid(oid_item.content), der_value(value_item)
            out["Names"].append({"Type": oid, "Value": value})
            field = _NAME_FIELDS.get(oid[3]) if oid[:3] == [2, 5, 4] and len(oid) == 4 else None
            if field is None or not isinstance(value, str):
                continue
            if field in ("CommonName", "SerialNumber"):
                out[field] = value
            else:
                out[field] = [*(out[field] or []), value]
    return out


def url_json(text: str) -> dict[str, Any]:
    """Go's url.URL for a parsed URI (the fields its JSON shows)."""
    parts = urlsplit(text)
    opaque = ""
    path = unquote(parts.path)
    if parts.scheme and not text[len(parts.scheme) + 1:].startswith("/") and parts.netloc == "":
        opaque, path = text[len(parts.scheme) + 1:].split("?")[0].split("#")[0], ""
    host = parts.netloc.rsplit("@", 1)[-1]
    return {"Scheme": parts.scheme, "Opaque": opaque,
            "User": {} if "@" in parts.netloc else None, "Host": host, "Path": path,
            "RawPath": "", "OmitHost": False, "ForceQuery": text.split("#")[0].endswith("?"),
            "RawQuery": parts.query, "Fragment": unquote(parts.fragment), "RawFragment": ""}


def _ip(data: bytes) -> str:
    address = ipaddress.ip_address(data)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


def _general_names(content: bytes) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {"dns": [], "email": [], "ip": [], "uri": []}
    for item in der_items(content):
        if item.tag == 0x81:
            out["email"].append(item.content.decode("latin-1"))
        elif item.tag == 0x82:
            out["dns"].append(item.content.decode("latin-1"))
        elif item.tag == 0x86:
            out["uri"].append(item.content.decode("latin-1"))
        elif item.tag == 0x87 and len(item.content) in (4, 16):
            out["ip"].append(_ip(item.content))
    return out


def public_key_json(key: Any) -> Any:
    """A Go crypto public key as encoding/json writes it."""
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    if isinstance(key, rsa.RSAPublicKey):
        numbers = key.public_numbers()
        return {"N": go_int(numbers.n), "E": numbers.e}
    if isinstance(key, ec.EllipticCurvePublicKey):
        point = key.public_numbers()
        return {"Curve": {}, "X": go_int(point.x), "Y": go_int(point.y)}
    if isinstance(key, ed25519.Ed25519PublicKey):
        return b64(key.public_bytes(Encoding.Raw, PublicFormat.Raw))
    if isinstance(key, dsa.DSAPublicKey):
        dn = key.public_numbers()
        p = dn.parameter_numbers
        return {"Parameters": {"P": go_int(p.p), "Q": go_int(p.q), "G": go_int(p.g)},
                "Y": go_int(dn.y)}
    return None


def _spki_algorithm(spki: bytes) -> int:
    algorithm = der_items(der_items(spki)[0].content)[0]
    return _KEY_ALGORITHM.get(_dotted(der_oid(der_items(algorithm.content)[0].content)), 0)


def _signature_algorithm(item: DerItem, hash_name: str | None) -> int:
    oid = _dotted(der_oid(der_items(item.content)[0].content))
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


def _time(item: DerItem) -> str:
    text = item.content.decode("ascii")
    if item.tag == 0x17:  # UTCTime YYMMDDHHMMSSZ
        year = int(text[:2])
        text = f"{1900 + year if year >= 50 else 2000 + year}{text[2:]}"
    return f"{text[:4]}-{text[4:6]}-{text[6:8]}T{text[8:10]}:{text[10:12]}:{text[12:14]}Z"


def _bits(content: bytes) -> int:
    """A KeyUsage BIT STRING as Go's KeyUsage: bit i of the string is 1 << i."""
    value = 0
    for i in range(8 * (len(content) - 1)):
        if content[1 + i // 8] >> (7 - i % 8) & 1:
            value |= 1 << i
    return value


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
    return {"IP": _ip(data[:half]), "Mask": b64(data[half:])}


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
        out["KeyUsage"] = _bits(top.content)
    elif oid == "2.5.29.19":
        out["BasicConstraintsValid"] = True
        parts = der_items(top.content)
        out["IsCA"] = bool(parts and parts[0].tag == 0x01 and parts[0].content != b"\x00")
        lengths = [p for p in parts if p.tag == 0x02]
        out["MaxPathLen"] = int.from_bytes(lengths[0].content, "big") if lengths else -1
        out["MaxPathLenZero"] = out["MaxPathLen"] == 0
    elif oid == "2.5.29.17":
        names = _general_names(top.content)
        out["DNSNames"], out["EmailAddresses"] = names["dns"] or None, names["email"] or None
        out["IPAddresses"] = names["ip"] or None
        out["URIs"] = [url_json(u) for u in names["uri"]] or None
        out["URIStrings"] = [_uri_text(u) for u in names["uri"]] or None
    elif oid == "2.5.29.37":
        for item in der_items(top.content):
            arcs = der_oid(item.content)
            known = _EXT_KEY_USAGE.get(_dotted(arcs))
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
                            urls += _general_names(full.content)["uri"]
        out["CRLDistributionPoints"] = urls or None
    elif oid == "1.3.6.1.5.5.7.1.1":
        for access in der_items(top.content):
            method, location = der_items(access.content)[:2]
            where = {"1.3.6.1.5.5.7.48.1": "OCSPServer",
                     "1.3.6.1.5.5.7.48.2": "IssuingCertificateURL"}.get(
                _dotted(der_oid(method.content)))
            if where and location.tag == 0x86:
                out[where] = [*(out[where] or []), location.content.decode("latin-1")]
    elif oid == "2.5.29.32":
        policies = [der_oid(der_items(p.content)[0].content) for p in der_items(top.content)]
        out["PolicyIdentifiers"] = policies
        out["Policies"] = [_dotted(a) for a in policies]
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
                _apply_extension(out, _dotted(arcs), critical, value)
                if critical and _dotted(arcs) not in _HANDLED:
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
        "NotBefore": _time(not_before), "NotAfter": _time(not_after),
        "Extensions": extensions or None,
    })
    if uri_strings:
        out.setdefault("URIStrings", None)
    else:
        out.pop("URIStrings", None)
    return out


def _uri_text(text: str) -> str:
    """url.URL.String() of a parsed URI: the text, its scheme lower-cased."""
    scheme, colon, rest = text.partition(":")
    return f"{scheme.lower()}:{rest}" if colon else text


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
        if _dotted(oid) != "1.2.840.113549.1.9.14":
            continue
        for seq in der_items(values.content):
            for arcs, critical, raw in _extension_list(seq.content):
                extensions.append({"Id": arcs, "Critical": critical, "Value": b64(raw)})
                if _dotted(arcs) == "2.5.29.17":
                    names = _general_names(der_items(raw)[0].content)
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
