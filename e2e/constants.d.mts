export declare const E2E_PORT: number;
export declare const E2E_URL: string;
export declare const E2E_DIR: string;
export declare const E2E_DB: string;
export declare const E2E_SERVER_LOG: string;
export declare const E2E_AUTH_DIR: string;
export declare const E2E_INTEGRATOR_ID: string;
export declare const E2E_TIMEOUT_MS: number;
