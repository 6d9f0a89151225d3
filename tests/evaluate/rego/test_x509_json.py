"""Certificates and CSRs as crypto.x509.parse_certificates and parse_certificate_request
return them (x509_json.py): Go's x509.Certificate marshalled to JSON, run through `verify`
as a policy reads them. The leaf, root and CSR values are OPA v1.20.2's answers on the same
inputs (benchmarks/opa_reference.py); the extension fields follow Go's encoding/json of
x509.Certificate. The keys are made at test time (pki.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import RunCli
from tests.evaluate.rego.conftest import verify_pki

X509 = """
test_parse_pem if {
    [leaf] := crypto.x509.parse_certificates(data.pki.certs.leaf)
    leaf.Subject.CommonName == "leaf.example.com"
    leaf.Subject.Organization == ["Acme"]
    leaf.Issuer.CommonName == "inter"
    leaf.DNSNames == ["leaf.example.com"]
    leaf.IPAddresses == ["10.0.0.1"]
    leaf.URIStrings == ["spiffe://acme/ns/web"]
    leaf.URIs[0].Host == "acme"
    leaf.ExtKeyUsage == [1]
    leaf.IsCA == false
    leaf.BasicConstraintsValid == true
    leaf.PublicKeyAlgorithm == 3
    leaf.SignatureAlgorithm == 10
    leaf.Version == 3
    endswith(leaf.NotAfter, "Z")
}
test_parse_root_flags if {
    [root] := crypto.x509.parse_certificates(data.pki.certs.root)
    root.IsCA
    root.MaxPathLen == -1
    root.KeyUsage == 96
    root.PublicKey.E == 65537
    count(root.Extensions) == 2
}
test_csr if {
    csr := crypto.x509.parse_certificate_request(data.pki.csr)
    csr.Subject.CommonName == "csr.example.com"
    csr.DNSNames == ["csr.example.com"]
    csr.Version == 0
    csr.Attributes[0].Type == [1, 2, 840, 113549, 1, 9, 14]
}
test_extensions_fill_their_fields if {
    [c] := crypto.x509.parse_certificates(data.pki.certs.extensions)
    c.KeyUsage == 1
    c.ExtKeyUsage == [2]
    c.UnknownExtKeyUsage == [[1, 2, 3, 4]]
    c.CRLDistributionPoints == ["http://crl.example.com/inter.crl"]
    c.OCSPServer == ["http://ocsp.example.com"]
    c.IssuingCertificateURL == ["http://ca.example.com/i"]
    c.PolicyIdentifiers == [[2, 23, 140, 1, 2, 1]]
    c.UnhandledCriticalExtensions == [[1, 2, 3, 4, 5]]
    c.Policies == ["2.23.140.1.2.1"]
    count(c.SubjectKeyId) == 28  # 20 bytes, base64
    count(c.AuthorityKeyId) == 28
    c.SerialNumber == 1000
    c.Version == 3
    c.BasicConstraintsValid == false
}
test_name_constraints if {
    [inter] := crypto.x509.parse_certificates(data.pki.certs.inter)
    inter.PermittedDNSDomains == ["example.com"]
    inter.PermittedDNSDomainsCritical == true
    inter.ExcludedDNSDomains == null
    [ipca] := crypto.x509.parse_certificates(data.pki.certs.ip_constrained)
    ipca.PermittedIPRanges == [{"IP": "10.0.0.0", "Mask": "/wAAAA=="}]
    ipca.ExcludedEmailAddresses == ["example.org"]
    ipca.PermittedDNSDomainsCritical == false
}
test_serial_beyond_64_bits_is_a_decimal_string if {
    [leaf] := crypto.x509.parse_certificates(data.pki.certs.leaf)
    leaf.SerialNumber == "1267650600228229401496703205383"
}
"""


def test_certificate_and_csr_records_answer_as_opa(run_cli: RunCli, tmp_path: Path,
                                                   pki: dict[str, Any]) -> None:
    out = verify_pki(run_cli, tmp_path, pki, X509)
    assert "6 tests, 6 passed" in out
