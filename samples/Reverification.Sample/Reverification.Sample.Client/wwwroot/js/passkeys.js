// The browser's WebAuthn API for the sample: Identity's options JSON in, the credential's JSON out.
// Answers {credential: "<json>"} or {error: "<message>"}; never throws into .NET.

function unsupported() {
    return !window.PublicKeyCredential
        || typeof PublicKeyCredential.parseCreationOptionsFromJSON !== 'function'
        || typeof PublicKeyCredential.parseRequestOptionsFromJSON !== 'function';
}

function explain(error) {
    switch (error && error.name) {
        case 'NotAllowedError': return 'The passkey prompt was cancelled or timed out.';
        case 'InvalidStateError': return 'This device already has a passkey for this account.';
        case 'SecurityError': return 'Passkeys need a secure page (https or localhost).';
        default: return 'The passkey could not be used' + (error && error.message ? ': ' + error.message : '.');
    }
}

export async function createCredential(optionsJson) {
    if (unsupported()) {
        return { error: 'This browser does not support passkeys.' };
    }

    try {
        const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(JSON.parse(optionsJson));
        const credential = await navigator.credentials.create({ publicKey });
        return { credential: JSON.stringify(credential) };
    } catch (error) {
        return { error: explain(error) };
    }
}

export async function getCredential(optionsJson) {
    if (unsupported()) {
        return { error: 'This browser does not support passkeys.' };
    }

    try {
        const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(JSON.parse(optionsJson));
        const credential = await navigator.credentials.get({ publicKey });
        return { credential: JSON.stringify(credential) };
    } catch (error) {
        return { error: explain(error) };
    }
}
