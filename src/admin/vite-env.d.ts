/// <reference types="vite/client" />

/** The Medusa server's URL, defined by the admin build. */
declare const __BACKEND_URL__: string | undefined
