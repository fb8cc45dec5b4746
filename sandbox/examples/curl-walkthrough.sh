#!/usr/bin/env bash
# The README's walkthrough: talk to a running sandbox with curl and a signature
# made by hand with openssl. Needs curl, openssl, jq.
#   terminal 1:  node tools/with-node24.js node sandbox/main.ts --port 0 --print-config
#   terminal 2:  CONFIG='<the JSON line it printed>' bash sandbox/examples/curl-walkthrough.sh
set -euo pipefail
: "${CONFIG:?set CONFIG to the JSON line printed by --print-config}"
API_URL=$(jq -r .apiUrl <<<"$CONFIG")
API_KEY=$(jq -r .apiKey <<<"$CONFIG")
SHARED_KEY=$(jq -r .sharedKey <<<"$CONFIG")
PRODUCT=$(jq -r .product <<<"$CONFIG")
LICENSE_KEY=$(jq -r .licenseKey <<<"$CONFIG")
HARDWARE_ID=my-laptop

# Date (RFC 7231, GMT) and Authorization, signed by hand.
sign() {
  DATE=$(LC_ALL=C date -u '+%a, %d %b %Y %H:%M:%S GMT')
  SIGNATURE=$(printf 'licenseSpring\ndate: %s' "$DATE" | openssl dgst -sha256 -hmac "$1" -binary | base64)
  AUTH="algorithm=\"hmac-sha256\",headers=\"date\",signature=\"$SIGNATURE\",apikey=\"$API_KEY\""
}
post() { # endpoint json
  curl -sS -D /tmp/sandbox-headers.txt -o /tmp/sandbox-body.json -X POST "${API_URL}$1" \
    -H "Date: $DATE" -H "Authorization: $AUTH" -H 'Content-Type: application/json' -d "$2"
  echo "HTTP $(head -n1 /tmp/sandbox-headers.txt | cut -d' ' -f2)  $(cat /tmp/sandbox-body.json)"
}

echo "== 1. track before activation: the device is not known yet"
sign "$SHARED_KEY"
post track_device_variables "{\"product\":\"$PRODUCT\",\"license_key\":\"$LICENSE_KEY\",\"hardware_id\":\"$HARDWARE_ID\",\"variables\":{\"os\":\"linux\"}}"

echo "== 2. activate the license on this device"
sign "$SHARED_KEY"
post activate_license "{\"product\":\"$PRODUCT\",\"license_key\":\"$LICENSE_KEY\",\"hardware_id\":\"$HARDWARE_ID\"}" | cut -c1-160

echo "== 3. track device variables"
sign "$SHARED_KEY"
post track_device_variables "{\"product\":\"$PRODUCT\",\"license_key\":\"$LICENSE_KEY\",\"hardware_id\":\"$HARDWARE_ID\",\"variables\":{\"os\":\"linux\",\"cpu_cores\":8,\"on_battery\":false}}"

echo "== 4. verify the reply's LicenseSignature with the published public key"
jq -r .publicKeyPem <<<"$CONFIG" > /tmp/sandbox-public.pem
grep -i '^licensesignature:' /tmp/sandbox-headers.txt | cut -d' ' -f2 | tr -d '\r' | base64 -d > /tmp/sandbox-signature.bin
openssl dgst -sha256 -verify /tmp/sandbox-public.pem -signature /tmp/sandbox-signature.bin /tmp/sandbox-body.json

echo "== 5. read them back (GET, query string)"
sign "$SHARED_KEY"
curl -sS -G "${API_URL}get_device_variables" -H "Date: $DATE" -H "Authorization: $AUTH" \
  --data-urlencode "product=$PRODUCT" --data-urlencode "license_key=$LICENSE_KEY" --data-urlencode "hardware_id=$HARDWARE_ID"
echo

echo "== 6. a wrong shared key"
sign "not-the-shared-key"
post track_device_variables "{\"product\":\"$PRODUCT\",\"license_key\":\"$LICENSE_KEY\",\"hardware_id\":\"$HARDWARE_ID\",\"variables\":{}}"

echo "== 7. error replies are not signed (like the vendor's): no LicenseSignature header"
grep -ci '^licensesignature:' /tmp/sandbox-headers.txt || true
