"""A small PKI made at test time (no key material committed): a root, an intermediate
with name constraints, leaves, a CSR, keys and signed JWTs, as PEM strings for `-d`."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import ipaddress
import json
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

NOW = dt.datetime.now(dt.UTC)
PEM = serialization.Encoding.PEM


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Acme"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _cert(cn: str, issuer: str, key: Any, signer: Any, *, ca: bool | None = None,
          eku: list[x509.ObjectIdentifier] | None = None, san: list[x509.GeneralName] | None
          = None, days: tuple[int, int] = (1, 30), serial: int = 1000,
          extra: tuple[tuple[x509.ExtensionType, bool], ...] = ()) -> x509.Certificate:
    builder = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(_name(issuer))
               .public_key(key).serial_number(serial)
               .not_valid_before(NOW - dt.timedelta(days=days[0]))
               .not_valid_after(NOW + dt.timedelta(days=days[1])))
    if ca is not None:
        builder = builder.add_extension(x509.BasicConstraints(ca=ca, path_length=None), True)
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), False)
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName(san), False)
    for extension, critical in extra:
        builder = builder.add_extension(extension, critical)
    return builder.sign(signer, hashes.SHA256())


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(alg: str, payload: dict[str, Any], key: Any, **header: Any) -> str:
    """A compact JWS signed as a JWT library does."""
    head = _b64url(json.dumps({"alg": alg, "typ": "JWT", **header}).encode())
    message = f"{head}.{_b64url(json.dumps(payload).encode())}".encode()
    algorithm = {"256": hashes.SHA256(), "384": hashes.SHA384(), "512": hashes.SHA512()}
    bits = alg[2:]
    if alg.startswith("HS"):
        signature = hmac.new(key, message, getattr(hashlib, "sha" + bits)).digest()
    elif alg.startswith("RS"):
        signature = key.sign(message, padding.PKCS1v15(), algorithm[bits])
    elif alg.startswith("PS"):
        signature = key.sign(message, padding.PSS(padding.MGF1(algorithm[bits]),
                                                  padding.PSS.DIGEST_LENGTH), algorithm[bits])
    elif alg.startswith("ES"):
        r, s = decode_dss_signature(key.sign(message, ec.ECDSA(algorithm[bits])))
        size = (key.curve.key_size + 7) // 8
        signature = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    else:
        signature = key.sign(message)
    return f"{message.decode()}.{_b64url(signature)}"


def _pub(key: Any) -> str:
    return str(key.public_key().public_bytes(
        PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode())


def make_pki() -> dict[str, Any]:
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    inter_key = ec.generate_private_key(ec.SECP256R1())
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    ed_key = ed25519.Ed25519PrivateKey.generate()
    root = _cert("root", "root", root_key.public_key(), root_key, ca=True, extra=(
        (x509.KeyUsage(False, False, False, False, False, True, True, False, False), True),))
    constraints = x509.NameConstraints(permitted_subtrees=[x509.DNSName("example.com")],
                                       excluded_subtrees=None)
    inter = _cert("inter", "root", inter_key.public_key(), root_key, ca=True,
                  extra=((constraints, True),))
    server = [ExtendedKeyUsageOID.SERVER_AUTH]
    leaf = _cert("leaf.example.com", "inter", leaf_key.public_key(), inter_key, ca=False,
                 eku=server, serial=2**100 + 7, san=[
                     x509.DNSName("leaf.example.com"),
                     x509.IPAddress(ipaddress.ip_address("10.0.0.1")),
                     x509.UniformResourceIdentifier("spiffe://acme/ns/web")])
    client_only = _cert("client.example.com", "inter", leaf_key.public_key(), inter_key,
                        ca=False, eku=[ExtendedKeyUsageOID.CLIENT_AUTH],
                        san=[x509.DNSName("client.example.com")])
    outside = _cert("evil.org", "inter", leaf_key.public_key(), inter_key, ca=False,
                    san=[x509.DNSName("evil.org")])
    expired = _cert("old.example.com", "inter", leaf_key.public_key(), inter_key, ca=False,
                    days=(60, -1), san=[x509.DNSName("old.example.com")])
    extensions = _cert("ext.example.com", "inter", leaf_key.public_key(), inter_key, extra=(
        (x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key()), False),
        (x509.AuthorityKeyIdentifier.from_issuer_public_key(inter_key.public_key()), False),
        (x509.KeyUsage(True, False, False, False, False, False, False, False, False), True),
        (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH,
                                x509.ObjectIdentifier("1.2.3.4")]), False),
        (x509.CRLDistributionPoints([x509.DistributionPoint(
            [x509.UniformResourceIdentifier("http://crl.example.com/inter.crl")],
            None, None, None)]), False),
        (x509.AuthorityInformationAccess([
            x509.AccessDescription(AuthorityInformationAccessOID.OCSP,
                                   x509.UniformResourceIdentifier("http://ocsp.example.com")),
            x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS,
                                   x509.UniformResourceIdentifier("http://ca.example.com/i"))]),
         False),
        (x509.CertificatePolicies([x509.PolicyInformation(
            x509.ObjectIdentifier("2.23.140.1.2.1"), None)]), False),
        (x509.UnrecognizedExtension(x509.ObjectIdentifier("1.2.3.4.5"), b"\x05\x00"), True),
    ))
    ip_constrained = _cert("ipca", "root", inter_key.public_key(), root_key, ca=True, extra=(
        (x509.NameConstraints(permitted_subtrees=[
            x509.IPAddress(ipaddress.ip_network("10.0.0.0/8"))],
            excluded_subtrees=[x509.RFC822Name("example.org")]), False),))
    csr = (x509.CertificateSigningRequestBuilder().subject_name(_name("csr.example.com"))
           .add_extension(x509.SubjectAlternativeName([x509.DNSName("csr.example.com")]),
                          False).sign(leaf_key, hashes.SHA256()))
    pem = {name: cert.public_bytes(PEM).decode() for name, cert in (
        ("root", root), ("inter", inter), ("leaf", leaf), ("client_only", client_only),
        ("outside", outside), ("expired", expired), ("extensions", extensions),
        ("ip_constrained", ip_constrained))}
    rsa_pkcs1 = root_key.private_bytes(PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                       serialization.NoEncryption()).decode()
    ec_pkcs8 = leaf_key.private_bytes(PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()).decode()
    rsa_numbers = root_key.public_key().public_numbers()
    jwks = {"keys": [
        {"kty": "RSA", "kid": "k1", "alg": "RS256", "n": _b64url(rsa_numbers.n.to_bytes(
            256, "big")), "e": _b64url(rsa_numbers.e.to_bytes(3, "big"))},
        {"kty": "EC", "kid": "k2", "crv": "P-256",
         "x": _b64url(leaf_key.public_key().public_numbers().x.to_bytes(32, "big")),
         "y": _b64url(leaf_key.public_key().public_numbers().y.to_bytes(32, "big"))}]}
    claims = {"sub": "alice", "iss": "acme", "aud": "api", "exp": 2000000000,
              "nbf": 1000000000}
    tokens = {
        "rs256": jwt("RS256", claims, root_key), "ps384": jwt("PS384", claims, root_key),
        "es256": jwt("ES256", claims, leaf_key, kid="k2"), "eddsa": jwt("EdDSA", claims,
                                                                         ed_key),
        "hs256": jwt("HS256", claims, b"s3cret"),
    }
    # a JWT whose payload is another JWT (`cty: JWT`), both signed with the secret
    head = _b64url(json.dumps({"alg": "HS256", "cty": "JWT"}).encode())
    message = f"{head}.{_b64url(tokens['hs256'].encode())}".encode()
    mac = hmac.new(b"s3cret", message, "sha256").digest()
    tokens["nested"] = f"{message.decode()}.{_b64url(mac)}"
    return {
        "certs": pem,
        "root_then_leaf": pem["root"] + pem["inter"] + pem["leaf"],
        "leaf_der_b64": base64.b64encode(leaf.public_bytes(serialization.Encoding.DER)).decode(),
        "csr": csr.public_bytes(PEM).decode(),
        "rsa_key": rsa_pkcs1, "ec_key": ec_pkcs8,
        "keys": {"rsa": _pub(root_key), "ec": _pub(leaf_key), "ed": _pub(ed_key),
                 "jwks": json.dumps(jwks)},
        "tokens": tokens,
    }
