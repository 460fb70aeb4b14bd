// The browser side of <ReverificationForm>, without a framework.
//
// send() calls the Identity reverification endpoints with the browser's own fetch, so that the request carries the
// browser's cookies and the browser stores the refreshed cookie (Set-Cookie) in every render mode: a Blazor Server
// circuit cannot write cookies, and WebAssembly gets the same path. getPasskey() runs the WebAuthn ceremony.
// focus() moves focus to a field of the form.

// An app-relative path ("/reverify/methods") resolves against the document's base URI (<base href>), as the server's
// path base does; an absolute URL is refused, so the form never sends the user's password to another site.
function resolve(path) {
    if (typeof path !== "string" || /^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith("//") || path.startsWith("\\")) {
        throw new Error("The reverification endpoint must be an app-relative path.");
    }

    const url = new URL(path.replace(/^\/+/, ""), document.baseURI);
    if (url.origin !== window.location.origin) {
        throw new Error("The reverification endpoint must be on this site.");
    }

    return url.href;
}

// Returns { status, body, approvalState }: status 0 when the request did not reach the server (network error, redirect,
// bad path); approvalState is the Reverification-Approval-State header (approved, pending) of a verification sent with
// an approval id.
export async function send(method, path, body) {
    try {
        const headers = { "Accept": "application/json" };
        if (body !== null && body !== undefined) {
            headers["Content-Type"] = "application/json";
        }

        const response = await fetch(resolve(path), {
            method,
            headers,
            body: body ?? undefined,
            credentials: "same-origin",
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
