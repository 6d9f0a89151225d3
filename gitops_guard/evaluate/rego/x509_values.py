"""Single x509 field values as Go's encoding/json writes them, read from DER (pemder.py):
names, URIs, IP addresses, general names, public keys, times and bit strings. The whole
certificate and CSR are assembled in x509_json.py.

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


def go_int(value: int) -> int | str:
    return value if -(1 << 63) <= value < (1 << 64) else str(value)


def b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode()


def dotted(arcs: list[int]) -> str:
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


def uri_text(text: str) -> str:
    """url.URL.String() of a parsed URI: the text, its scheme lower-cased."""
    scheme, colon, rest = text.partition(":")
    return f"{scheme.lower()}:{rest}" if colon else text


def ip_text(data: bytes) -> str:
    address = ipaddress.ip_address(data)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


def general_names(content: bytes) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {"dns": [], "email": [], "ip": [], "uri": []}
    for item in der_items(content):
        if item.tag == 0x81:
            out["email"].append(item.content.decode("latin-1"))
        elif item.tag == 0x82:
            out["dns"].append(item.content.decode("latin-1"))
        elif item.tag == 0x86:
            out["uri"].append(item.content.decode("latin-1"))
        elif item.tag == 0x87 and len(item.content) in (4, 16):
            out["ip"].append(ip_text(item.content))
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


def go_time(item: DerItem) -> str:
    text = item.content.decode("ascii")
    if item.tag == 0x17:  # UTCTime YYMMDDHHMMSSZ
        year = int(text[:2])
        text = f"{1900 + year if year >= 50 else 2000 + year}{text[2:]}"
    return f"{text[:4]}-{text[4:6]}-{text[6:8]}T{text[8:10]}:{text[10:12]}:{text[12:14]}Z"


def key_usage_bits(content: bytes) -> int:
    """A KeyUsage BIT STRING as Go's KeyUsage: bit i of the string is 1 << i."""
    value = 0
    for i in range(8 * (len(content) - 1)):
        if content[1 + i // 8] >> (7 - i % 8) & 1:
            value |= 1 << i
    return value
