/** Identity: login, tokens, users (API.md §2, §3). */

/** 0 user, 1 read-only administrator, 2 administrator, 3 super administrator. */
export enum Role {
  User = 0,
  ReadOnlyAdmin = 1,
  Admin = 2,
  SuperAdmin = 3,
}

export interface LoginRequest {
  user_name: string;
  password: string;
}

export interface TokenRequest {
  token: string;
}

export interface LoginResult {
  user: { uuid: string; user_uuid: string; created_at: string; expired_at: string };
}

export interface AuthResult {
  user: { uuid: string; user_uuid: string; name: string; role: Role; created_at: string; expired_at: string };
}

export interface UserView {
  uuid: string;
  name: string;
  nick_name: string;
  avatar: string;
  role: Role;
  created_at: string;
}

export interface CreateUserRequest {
  name: string;
  nick_name: string;
  password: string;
  avatar?: string;
  role?: Role;
}

export interface UpdateUserRequest {
  name?: string;
  nick_name?: string;
  avatar?: string;
  password?: string;
  role?: Role;
}

export interface ListUsersFilters {
  name?: string;
  role?: Role;
}

export const USER_SORTABLE = ['name', 'role', 'created_at'] as const;
export type UserSortField = (typeof USER_SORTABLE)[number];

export interface UserDefaultView {
  az_uuid: string | null;
  clusters_uuid: string | null;
}

export interface UpdateUserDefaultRequest {
  az_uuid: string | null;
  clusters_uuid: string | null;
}
