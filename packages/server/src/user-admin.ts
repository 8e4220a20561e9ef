// What the `faxd user` command needs of the server: the user store and the errors opening it throws, without the rest
// of the server, whose modules would double the command's start.
export { openUserStore } from './auth/open-user-store.js';
export { UserStoreError, type UserSummary } from './auth/user-store.js';
export { ConfigError } from './config/faxd-config.js';
export { StoreUnavailableError } from './store/database.js';
