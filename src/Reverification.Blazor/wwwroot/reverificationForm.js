// The browser side of <ReverificationForm>, without a framework.
//
// send() calls the Identity reverification endpoints with the browser's own fetch, so that the request carries the
// browser's cookies and the browser stores the refreshed cookie (Set-Cookie) in every render mode: a Blazor Server
// circuit cannot write cookies, and WebAssembly gets the same path. Apps on bearer tokens give the Authorization header
// instead, and the request goes without cookies. getPasskey() runs the WebAuthn ceremony.
// focus() moves focus to a field of the form.

// An app-relative path ("/reverify/methods") resolves against the document's base URI (<base href>), as the server's
// path base does, and must stay on this site. An absolute URL is accepted only as the one origin the app configured for
// its bearer token (options.origin), over https (http on loopback only): the form never sends the user's password or
// token to another site.
function resolve(path, origin) {
    if (typeof path !== "string") {
        throw new Error("The reverification endpoint must be a path.");
    }

    if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
        const url = new URL(path);
        const secure = url.protocol === "https:" || (url.protocol === "http:" && isLoopback(url.hostname));
        if (typeof origin !== "string" || url.origin !== origin || !secure || url.username || url.password) {
            throw new Error("The reverification endpoint must be on this site, or on the https origin the app configured.");
        }

        return url.href;
    }

    if (path.startsWith("//") || path.startsWith("\\")) {
        throw new Error("The reverification endpoint must be an app-relative path.");
    }

    const url = new URL(path.replace(/^\/+/, ""), document.baseURI);
    if (url.origin !== window.location.origin) {
        throw new Error("The reverification endpoint must be on this site.");
    }

    return url.href;
}

function isLoopback(hostname) {
    return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

// Returns { status, body, approvalState }: status 0 when the request did not reach the server (network error, redirect,
// bad path); approvalState is the Reverification-Approval-State header (approved, pending) of a verification sent with
// an approval id.
//
// options (apps on bearer tokens): { authorization, credentials, origin }: the Authorization header to send, the fetch's
// credentials ("omit", or "same-origin" for the passkey pair), and the one other origin the app configured. Without
// options the request carries the browser's cookies of this site.
export async function send(method, path, body, options) {
    try {
        const headers = { "Accept": "application/json" };
        if (body !== null && body !== undefined) {
            headers["Content-Type"] = "application/json";
        }

        const bearer = options !== null && typeof options === "object";
        if (bearer && typeof options.authorization === "string") {
            headers["Authorization"] = options.authorization;
        }

        const response = await fetch(resolve(path, bearer ? options.origin : null), {
            method,
            headers,
            body: body ?? undefined,
            credentials: !bearer || options.credentials === "same-origin" ? "same-origin" : "omit",
            cache: "no-store",
            redirect: "manual", // An endpoint answers JSON; a redirect (a sign-in page) is not an answer.
        });
        return {
            status: response.status,
            body: await response.text(),
            approvalState: response.headers.get("Reverification-Approval-State"),
        };
    } catch {
        return { status: 0, body: "", approvalState: null };
    }
}

// Returns { credential: "<JSON>" } after a successful ceremony, or { error: "cancelled" | "unsupported" | "failed" }:
// a cancelled or failed ceremony always answers, never leaves the form waiting.
export async function getPasskey(optionsJson) {
    if (typeof window.PublicKeyCredential !== "function" || !navigator.credentials || typeof navigator.credentials.get !== "function") {
        return { error: "unsupported" };
    }

    let publicKey;
    try {
        const json = JSON.parse(optionsJson);
        const options = json && typeof json.publicKey === "object" ? json.publicKey : json;
        publicKey = typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function"
            ? PublicKeyCredential.parseRequestOptionsFromJSON(options)
            : decodeRequestOptions(options);
    } catch {
        return { error: "failed" };
    }

    let credential;
    try {
        credential = await navigator.credentials.get({ publicKey });
    } catch (error) {
        // NotAllowedError: the user cancelled, or the time ran out; AbortError: the ceremony was aborted.
        return { error: error && (error.name === "NotAllowedError" || error.name === "AbortError") ? "cancelled" : "failed" };
    }

    if (!credential) {
        return { error: "cancelled" };
    }

    try {
        return { credential: JSON.stringify(typeof credential.toJSON === "function" ? credential.toJSON() : encodeCredential(credential)) };
    } catch {
        return { error: "failed" };
    }
}

export function focus(id) {
    const element = document.getElementById(id);
    if (element && typeof element.focus === "function") {
        element.focus();
    }
}

// For browsers without PublicKeyCredential.parseRequestOptionsFromJSON: the binary fields are base64url in JSON.
function decodeRequestOptions(options) {
    const publicKey = { ...options, challenge: fromBase64Url(options.challenge) };
    if (Array.isArray(options.allowCredentials)) {
        publicKey.allowCredentials = options.allowCredentials.map(c => ({ ...c, id: fromBase64Url(c.id) }));
    }

    return publicKey;
}

// For browsers without PublicKeyCredential.prototype.toJSON: the JSON WebAuthn Level 3 defines.
function encodeCredential(credential) {
    const response = credential.response;
    return {
        id: credential.id,
        rawId: toBase64Url(credential.rawId),
        type: credential.type,
        authenticatorAttachment: credential.authenticatorAttachment ?? null,
        clientExtensionResults: typeof credential.getClientExtensionResults === "function" ? credential.getClientExtensionResults() : {},
        response: {
            clientDataJSON: toBase64Url(response.clientDataJSON),
            authenticatorData: toBase64Url(response.authenticatorData),
            signature: toBase64Url(response.signature),
            userHandle: response.userHandle ? toBase64Url(response.userHandle) : null,
        },
    };
}

function fromBase64Url(value) {
    const base64 = value.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
    const binary = atob(padded);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) {
        bytes[i] = binary.charCodeAt(i);
    }

    return bytes.buffer;
}

function toBase64Url(buffer) {
    const bytes = new Uint8Array(buffer);
    let binary = "";
    for (let i = 0; i < bytes.length; i++) {
        binary += String.fromCharCode(bytes[i]);
    }

    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
