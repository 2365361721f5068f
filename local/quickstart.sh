#!/usr/bin/env bash
# The quick start of docs/getting-started.md as one script; each request notes the status it answers (# -> NNN).
# Run it against a fresh `npm start` (another terminal): bash local/quickstart.sh
# The suite runs this very file (test/http/quickstart.test.ts), so the page cannot drift from it.
set -euo pipefail
DATA_DIR=${DATA_DIR:-.local}
TOKEN=$(cat "$DATA_DIR/admin-token")
API=http://127.0.0.1:${PORT:-3000}
auth=(-H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json")
# Reads a field of the JSON answer on stdin, e.g. `| field .id` (Node is there anyway; no jq needed).
field() { node -e "process.stdout.write(String(JSON.parse(require('fs').readFileSync(0, 'utf8'))$1))"; }

curl $API/health # -> 200
curl "${auth[@]}" $API/admin/gateway-types # -> 200

# Create a gateway account (passwords go to the secret store, never to the table or a response)
GATEWAY=$(curl "${auth[@]}" -X POST $API/admin/gateways -d '{
  "name": "Twilio primary", "type": "twilio",
  "accountId": "AC0123456789abcdef0123456789abcdef", "password": "your-auth-token", "from": "+15005550006",
  "proxy": { "host": "proxy.corp.example", "port": 3128, "username": "svc", "password": "proxy-password" }
}' | field .id) # -> 201

curl "${auth[@]}" "$API/admin/gateways?limit=20" # -> 200
curl "${auth[@]}" $API/admin/gateways/$GATEWAY # -> 200

# Partial update (JSON Merge Patch); If-Match makes it conditional on the version you read
curl "${auth[@]}" -X PATCH $API/admin/gateways/$GATEWAY -H 'If-Match: "1"' -d '{ "name": "Twilio main", "from": "+15005550007" }' # -> 200

# Test connection: sends a real message; the local store's default `console` gateway writes it to the outbox
CONSOLE=$(curl "${auth[@]}" "$API/admin/gateways?limit=20" | field '.items.find((g) => g.type === "console").id') # -> 200
curl "${auth[@]}" -X POST $API/admin/gateways/$CONSOLE/test -d '{ "phoneNumber": "447400123456" }' # -> 200

# An identity store (tenant): links the default gateway unless smsAuth.gatewayId is given (null: none)
STORE=$(curl "${auth[@]}" -X POST $API/admin/identity-stores -d '{
  "name": "Contoso",
  "smsAuth": { "enabled": true, "enforcedRoles": ["Admins"], "messageTemplate": "Contoso code: [Code]" },
  "codePolicy": { "length": 6, "ttlSeconds": 300 },
  "allowedCountries": ["GB", "US"]
}' | field .id) # -> 201
curl "${auth[@]}" -X PATCH $API/admin/identity-stores/$STORE -d '{ "smsAuth": { "fallbackGatewayIds": ["'$GATEWAY'"] } }' # -> 200

# Delete a gateway: 409 gateway-in-use while an identity store links it (the store above does)
curl "${auth[@]}" -X DELETE $API/admin/gateways/$GATEWAY # -> 409

# An API key for a client app: the key is shown once
CREATED=$(curl "${auth[@]}" -X POST $API/admin/identity-stores/$STORE/api-keys -d '{ "name": "Web app" }') # -> 201
KEY=$(echo "$CREATED" | field .key)
KEY_ID=$(echo "$CREATED" | field .id)
curl "${auth[@]}" $API/admin/identity-stores/$STORE/api-keys # -> 200

# Client API: what must this user do after the first factor?
client=(-H "Authorization: Bearer $KEY" -H "Content-Type: application/json")
curl "${client[@]}" "$API/v1/users/alice/mfa?roles=Admins,Users" # -> 200

# Enroll a phone: a code goes to the outbox ($DATA_DIR/outbox.jsonl); verify it to activate the factor
code() { tail -n 1 "$DATA_DIR/outbox.jsonl" | field '.body.match(/\d{6}/)[0]'; }
CHALLENGE=$(curl "${client[@]}" -X PUT $API/v1/users/alice/sms-factor -d '{ "phoneNumber": "+447400123456" }' | field .challenge.id) # -> 202
curl "${client[@]}" -X POST $API/v1/challenges/$CHALLENGE/verify -d '{ "code": "'$(code)'" }' # -> 200

# Later sign-ins: send a code to the active factor, verify it. A retry with the same Idempotency-Key
# gets the first answer again, byte for byte, with Idempotent-Replayed: true, and sends nothing.
CHALLENGE=$(curl "${client[@]}" -H 'Idempotency-Key: login-42' -X POST $API/v1/users/alice/sms-factor/challenges | field .id) # -> 201
curl -i "${client[@]}" -H 'Idempotency-Key: login-42' -X POST $API/v1/users/alice/sms-factor/challenges # -> 201
curl "${client[@]}" -X POST $API/v1/challenges/$CHALLENGE/verify -d '{ "code": "'$(code)'" }' # -> 200
curl "${client[@]}" $API/v1/users/alice/sms-factor # -> 200

# Phone verification without a user (sign-up)
curl "${client[@]}" -X POST $API/v1/verifications -d '{ "phoneNumber": "447400123456" }' # -> 201

# Revoke the key: it stops working at once locally (deployed: within the authorizer cache TTL)
curl "${auth[@]}" -X DELETE $API/admin/identity-stores/$STORE/api-keys/$KEY_ID # -> 204
curl "${client[@]}" "$API/v1/users/alice/mfa" # -> 401
