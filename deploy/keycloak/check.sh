#!/usr/bin/env bash
# End-to-end check of OIDC bearer tokens against a real Keycloak (./parley oidc-check).
#
# Fetches the Keycloak distribution through Maven (org.keycloak:keycloak-quarkus-dist:<version>:zip), unpacks it
# under .parley/keycloak, starts it in dev mode on a port of its own with deploy/keycloak/parley-realm.json imported,
# and starts a gateway of its own (with Kafka and PostgreSQL of its own, on ports of their own) that trusts the
# realm as an issuer. Or, with PARLEY_OIDC_GATEWAY_URL, uses a running gateway already configured for the realm.
# Then gets client-credentials tokens with curl and checks that:
#   - a token with the scope an endpoint needs is accepted (2xx),
#   - a token without that scope is refused 403 forbidden,
#   - a forged token (payload changed, or signature missing) is refused 401 unauthenticated,
#   - an API key keeps working next to OIDC.
# Prints 'N passed, N failed' and exits non-zero when a check failed. Stops what it started (--keep leaves it up).
#
# Environment: PARLEY_KEYCLOAK_VERSION (26.7.3), PARLEY_KEYCLOAK_PORT (28180), PARLEY_OIDC_GATEWAY_PORT (28088),
# PARLEY_OIDC_GATEWAY_URL (use this gateway instead of starting one), PARLEY_OIDC_CHECK_TIMEOUT (seconds, 600: Keycloak builds itself on its first start).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

KC_VERSION=${PARLEY_KEYCLOAK_VERSION:-26.7.3}
KC_PORT=${PARLEY_KEYCLOAK_PORT:-28180}
KC_MANAGEMENT_PORT=$((KC_PORT + 1))
GW_PORT=${PARLEY_OIDC_GATEWAY_PORT:-28088}
KAFKA_PORT=$((GW_PORT + 4))
CONTROLLER_PORT=$((GW_PORT + 5))
POSTGRES_PORT=$((GW_PORT + 6))
TIMEOUT=${PARLEY_OIDC_CHECK_TIMEOUT:-600}
HOST=127.0.0.1
REALM=parley
CLIENT_ID=parley-backend
CLIENT_SECRET=parley-backend-local-secret
TENANT=demo
AUDIENCE=parley-api

KC_BASE=.parley/keycloak
KC_HOME=$KC_BASE/keycloak-$KC_VERSION
STATE=.parley/oidc-check
LOGS=$STATE/logs
ISSUER=http://$HOST:$KC_PORT/realms/$REALM
KEEP=0
for arg in "$@"; do
    case $arg in
        --keep) KEEP=1 ;;
        -h | --help)
            sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "unknown option '$arg' (known: --keep)" >&2
            exit 2
            ;;
    esac
done

say() { printf '==> %s\n' "$*"; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# ------------------------------------------------------------------------------------------------ Java
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/java}
JAVA=${JAVA:-$(command -v java || true)}
[[ -n $JAVA && -x $JAVA ]] || die "no java found: set JAVA_HOME to a JDK 21 or newer"
feature=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
((${feature%%.*} >= 21)) || die "Keycloak $KC_VERSION and Parley need a JDK 21 or newer; $JAVA is $feature"
export JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$JAVA")")")}
command -v curl >/dev/null || die "curl is needed"

mkdir -p "$LOGS" "$KC_BASE"
STARTED=()
cleanup() {
    if ((KEEP)); then
        ((${#STARTED[@]} == 0)) || say "left running (--keep): ${STARTED[*]}"
        return
    fi
    local i pid
    # Newest first (the gateway before its Kafka and PostgreSQL), each started as the leader of a process group of
    # its own (setsid): the whole group is stopped.
    for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
        pid=${STARTED[i]#*:}
        kill -TERM -- "-$pid" 2>/dev/null || continue
        for _ in $(seq 1 60); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL -- "-$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

wait_for() { # what url pid log
    local what=$1 url=$2 pid=$3 log=$4 start=$SECONDS
    until [[ $(curl -s -o /dev/null -w '%{http_code}' "$url" || true) == 200 ]]; do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 30 "$log" >&2
            die "$what exited before it was ready (log: $log)"
        fi
        if ((SECONDS - start >= TIMEOUT)); then
            tail -n 30 "$log" >&2
            die "$what is not ready after $TIMEOUT s (log: $log)"
        fi
        sleep 1
    done
    say "$what ready after $((SECONDS - start)) s"
}

# -------------------------------------------------------------------------------------------- Keycloak
if [[ ! -x $KC_HOME/bin/kc.sh ]]; then
    say "fetching Keycloak $KC_VERSION through Maven (org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip)"
    mvn -B -q -N dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" \
        -DoutputDirectory="$KC_BASE" >"$LOGS/keycloak-fetch.log" 2>&1 ||
        {
            tail -n 20 "$LOGS/keycloak-fetch.log" >&2
            die "could not fetch Keycloak through Maven (log: $LOGS/keycloak-fetch.log)"
        }
    say "unpacking under $KC_BASE"
    (cd "$KC_BASE" && unzip -q -o "keycloak-quarkus-dist-$KC_VERSION.zip" && rm -f "keycloak-quarkus-dist-$KC_VERSION.zip")
fi
mkdir -p "$KC_HOME/data/import"
cp deploy/keycloak/parley-realm.json "$KC_HOME/data/import/parley-realm.json"

if [[ $(curl -s -o /dev/null -w '%{http_code}' "$ISSUER/.well-known/openid-configuration" || true) == 200 ]]; then
    say "Keycloak already answers on :$KC_PORT (realm $REALM)"
else
    port_open "$KC_PORT" && die "port $KC_PORT is taken by something that is not Keycloak with realm $REALM (PARLEY_KEYCLOAK_PORT)"
    say "starting Keycloak $KC_VERSION on :$KC_PORT (log: $LOGS/keycloak.log)"
    JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m" setsid "$KC_HOME/bin/kc.sh" start-dev --http-host="$HOST" \
        --http-port="$KC_PORT" --http-management-port="$KC_MANAGEMENT_PORT" --import-realm \
        >"$LOGS/keycloak.log" 2>&1 </dev/null &
    STARTED+=("keycloak:$!")
    wait_for Keycloak "$ISSUER/.well-known/openid-configuration" "$!" "$LOGS/keycloak.log"
fi

# --------------------------------------------------------------------------------------------- gateway
API_KEY=pk_oidc_check_$(head -c 512 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9' | head -c 32)
if [[ -n ${PARLEY_OIDC_GATEWAY_URL:-} ]]; then
    GATEWAY=${PARLEY_OIDC_GATEWAY_URL%/}
    API_KEY=${PARLEY_API_KEY:-}
    say "using the running gateway $GATEWAY (it must trust $ISSUER for tenant $TENANT)"
else
    GATEWAY=http://$HOST:$GW_PORT
    jar=api-gateway/target/quarkus-app/quarkus-run.jar
    if [[ ! -f $jar || ! -f tools/target/classpath.txt ]]; then
        say "building the gateway and the local infrastructure tool (mvn package, tests skipped)"
        mvn -B -q -DskipTests package -pl api-gateway,tools -am >"$LOGS/build.log" 2>&1 ||
            {
                tail -n 30 "$LOGS/build.log" >&2
                die "the build failed (log: $LOGS/build.log)"
            }
    fi
    for port in "$GW_PORT" "$KAFKA_PORT" "$CONTROLLER_PORT" "$POSTGRES_PORT"; do
        port_open "$port" && die "port $port is taken (PARLEY_OIDC_GATEWAY_PORT moves the gateway, Kafka and PostgreSQL ports)"
    done
    say "starting Kafka :$KAFKA_PORT and PostgreSQL :$POSTGRES_PORT for the check (state: $STATE/infra)"
    rm -f "$LOGS/infra.log"
    setsid "$JAVA" -Xmx768m -cp "tools/target/classes:$(<tools/target/classpath.txt)" dev.parley.tools.infra.LocalInfra \
        --state "$STATE/infra" --kafka-port "$KAFKA_PORT" --controller-port "$CONTROLLER_PORT" \
        --postgres-port "$POSTGRES_PORT" >"$LOGS/infra.log" 2>&1 </dev/null &
    infra=$!
    STARTED+=("infra:$infra")
    start=$SECONDS
    until grep -q '^READY ' "$LOGS/infra.log" 2>/dev/null; do
        kill -0 "$infra" 2>/dev/null || die "the infrastructure exited (log: $LOGS/infra.log)"
        ((SECONDS - start < TIMEOUT)) || die "the infrastructure is not ready after $TIMEOUT s (log: $LOGS/infra.log)"
        sleep 1
    done
    say "starting the gateway on :$GW_PORT, trusting $ISSUER (log: $LOGS/api-gateway.log)"
    env QUARKUS_HTTP_PORT="$GW_PORT" KAFKA_BOOTSTRAP_SERVERS="$HOST:$KAFKA_PORT" \
        QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$HOST:$POSTGRES_PORT/parley_gateway" \
        PARLEY_BOOTSTRAP_TENANT="$TENANT" PARLEY_BOOTSTRAP_API_KEY="$API_KEY" PARLEY_BOOTSTRAP_BOT=banking-demo \
        PARLEY_OIDC_ENABLED=true \
        setsid "$JAVA" -Xmx512m \
        -Dparley.security.oidc.issuers.keycloak.issuer="$ISSUER" \
        -Dparley.security.oidc.issuers.keycloak.discovery="$ISSUER" \
        -Dparley.security.oidc.issuers.keycloak.audience="$AUDIENCE" \
        -Dparley.security.oidc.issuers.keycloak.tenant-claim=parley_tenant \
        -jar "$jar" >"$LOGS/api-gateway.log" 2>&1 </dev/null &
    STARTED+=("api-gateway:$!")
    wait_for "the gateway" "$GATEWAY/q/health/ready" "$!" "$LOGS/api-gateway.log"
fi

# ---------------------------------------------------------------------------------------------- checks
token() { # [scope]
    local body
    body=$(curl -sS -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials ${1:+-d "scope=$1"} \
        "$ISSUER/protocol/openid-connect/token") || die "the token endpoint did not answer"
    sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<<"$body"
}
b64url_decode() {
    local s
    s=$(tr '_-' '/+' <<<"$1")
    while ((${#s} % 4)); do s+='='; done
    base64 -d <<<"$s"
}
b64url_encode() { base64 -w0 | tr '+/' '-_' | tr -d '='; }

PASSED=0 FAILED=0
check() { # description expected-status expected-code token method path
    local description=$1 expected=$2 code=$3 credential=$4 method=$5 path=$6 status body
    body=$(curl -s -o "$STATE/response.json" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $credential" \
        "$GATEWAY$path") || true
    status=$body
    body=$(cat "$STATE/response.json" 2>/dev/null || true)
    if [[ $status == "$expected" && ( -z $code || $body == *"\"code\":\"$code\""* ) ]]; then
        PASSED=$((PASSED + 1))
        printf '  ok    %s: %s %s -> %s\n' "$description" "$method" "$path" "$status"
    else
        FAILED=$((FAILED + 1))
        printf '  FAIL  %s: %s %s -> %s (expected %s %s) %s\n' "$description" "$method" "$path" "$status" \
            "$expected" "$code" "$(head -c 300 <<<"$body")"
    fi
}

say "getting client-credentials tokens from $ISSUER"
DEFAULT_TOKEN=$(token)
ADMIN_TOKEN=$(token admin)
[[ -n $DEFAULT_TOKEN && -n $ADMIN_TOKEN ]] || die "Keycloak gave no access token (client $CLIENT_ID)"
claims=$(b64url_decode "$(cut -d. -f2 <<<"$DEFAULT_TOKEN")")
scope=$(sed -n 's/.*"scope":"\([^"]*\)".*/\1/p' <<<"$claims")
tenant=$(sed -n 's/.*"parley_tenant":"\([^"]*\)".*/\1/p' <<<"$claims")
say "the default token carries scope '$scope' and tenant '$tenant'"
[[ " $scope " == *" conversations:read "* && $tenant == "$TENANT" ]] ||
    die "the realm's mappers did not put the Parley scopes and tenant claim into the token"

# A forged token: the genuine header and signature around a payload that claims admin.
forged_payload=$(sed 's/"scope":"/"scope":"admin /' <<<"$claims" | b64url_encode)
FORGED="$(cut -d. -f1 <<<"$DEFAULT_TOKEN").$forged_payload.$(cut -d. -f3 <<<"$DEFAULT_TOKEN")"
UNSIGNED="$(printf '{"alg":"none","typ":"JWT"}' | b64url_encode).$forged_payload."

say "checking $GATEWAY"
check "token with scope admin is accepted" 200 "" "$ADMIN_TOKEN" GET /v1/api-keys
check "token without scope admin is refused" 403 forbidden "$DEFAULT_TOKEN" GET /v1/api-keys
check "token without scope users:manage is refused" 403 forbidden "$DEFAULT_TOKEN" GET /v1/users/oidc-check-user
check "forged token (payload changed) is refused" 401 unauthenticated "$FORGED" GET /v1/api-keys
check "unsigned token (alg none) is refused" 401 unauthenticated "$UNSIGNED" GET /v1/api-keys
if [[ -n $API_KEY ]]; then
    check "API key keeps working" 200 "" "$API_KEY" GET /v1/api-keys
fi
rm -f "$STATE/response.json"

echo "oidc-check: $PASSED passed, $FAILED failed"
((FAILED == 0))
