#!/usr/bin/env bash
# Makes the lab certificate: the one TLS certificate every node of a lab holds, and the only one
# they accept from each other (cluster-node.tls, deploy/README.md "TLS between the nodes").
#
#   deploy/make-lab-certificate.sh [DIR] [DAYS]
#
# DIR (default ./lab-certificate, must not exist yet or be empty) gets, with mode 0700 for DIR and
# 0600 for every file:
#   lab.pfx       the certificate and its private key, PKCS#12 (cluster-node.tls.certificate-path)
#   lab.password  the pfx's password, random (cluster-node.tls.certificate-password, e.g. through
#                 EEG_CLUSTER_CERTIFICATE_PASSWORD in a systemd EnvironmentFile)
#   lab.crt       the public certificate, to check a copy: its SHA-256 fingerprint is printed below
# DAYS: validity (default 1825, five years); a node refuses to start with an expired certificate.
# The private key exists only inside lab.pfx (the PEM key openssl writes first is removed).
set -euo pipefail

DIR="${1:-lab-certificate}"
DAYS="${2:-1825}"
OPENSSL="${OPENSSL:-openssl}"
command -v "$OPENSSL" >/dev/null || { echo "openssl not found (apt-get install openssl)" >&2; exit 2; }
[[ "$DAYS" =~ ^[1-9][0-9]*$ ]] || { echo "DAYS = '$DAYS' is not allowed: a whole number of days, e.g. 1825" >&2; exit 2; }
if [[ -e "$DIR" && -n "$(ls -A "$DIR" 2>/dev/null)" ]]; then
  echo "$DIR is not empty: a lab has one certificate; move the old one away to make a new one (then copy it to every node)" >&2
  exit 2
fi

umask 077
mkdir -p "$DIR"
chmod 0700 "$DIR"
key="$DIR/lab.key.pem"
trap 'rm -f "$key"' EXIT

# RSA 3072, SHA-256, self-signed. Both usages: every node is a TLS server to some peers and a
# client (with this certificate, mutual TLS) to others.
"$OPENSSL" req -x509 -newkey rsa:3072 -sha256 -nodes -days "$DAYS" \
  -subj "/CN=eeg-lab/O=EEG lab cluster" \
  -addext "basicConstraints=critical,CA:FALSE" \
  -addext "keyUsage=critical,digitalSignature,keyEncipherment" \
  -addext "extendedKeyUsage=serverAuth,clientAuth" \
  -keyout "$key" -out "$DIR/lab.crt" 2>/dev/null

"$OPENSSL" rand -hex 24 > "$DIR/lab.password"
# PKCS#12 with AES-256 and PBKDF2 (openssl 3's default), which .NET's X509CertificateLoader reads.
"$OPENSSL" pkcs12 -export -name eeg-lab -inkey "$key" -in "$DIR/lab.crt" \
  -out "$DIR/lab.pfx" -passout "file:$DIR/lab.password"
rm -f "$key"
chmod 0600 "$DIR/lab.pfx" "$DIR/lab.password" "$DIR/lab.crt"

echo "lab certificate in $DIR (0700; files 0600):"
ls -l "$DIR"
echo "SHA-256 fingerprint (the nodes log it when they refuse another certificate):"
"$OPENSSL" x509 -in "$DIR/lab.crt" -noout -fingerprint -sha256
echo "valid until: $("$OPENSSL" x509 -in "$DIR/lab.crt" -noout -enddate | cut -d= -f2)"
echo "next: copy $DIR/lab.pfx and $DIR/lab.password to every node (deploy/README.md, 'TLS between the nodes')"
