import type {
  CreateUserRequest,
  ListQuery,
  ListResult,
  ListUsersFilters,
  UpdateUserDefaultRequest,
  UpdateUserRequest,
  UserDefaultView,
  UserSortField,
  UserView,
} from '@chime/contracts';
import type { Operation, OperationCaller } from './operation';

/**
 * The `user` category (API.md §2.2). Every category follows this pattern, so adding one is
 * mechanical: a `<CATEGORY>_OPERATIONS` table keyed by operationId (method and path exactly as in
 * the OpenAPI document), a class of one-line methods named by operationId that take path
 * parameters first, then the body or query typed with @chime/contracts, and one field on
 * ChimeClient named like the OpenAPI tag (`client.user.listUser()` ≙ `chimecli user listUser`).
 */
export const USER_OPERATIONS = {
  listUser: { method: 'GET', path: '/v1/user' },
  createUser: { method: 'POST', path: '/v1/user' },
  getUser: { method: 'GET', path: '/v1/user/{UserUuid}' },
  updateUser: { method: 'PATCH', path: '/v1/user/{UserUuid}' },
  deleteUser: { method: 'DELETE', path: '/v1/user/{UserUuid}' },
  getUserDefault: { method: 'GET', path: '/v1/user/{UserUuid}/default' },
  updateUserDefault: { method: 'PATCH', path: '/v1/user/{UserUuid}/default' },
} as const satisfies Record<string, Operation>;

export class UserApi {
  constructor(private readonly client: OperationCaller) {}

  listUser(query: ListUsersFilters & ListQuery<UserSortField> = {}): Promise<ListResult<UserView>> {
    return this.client.call(USER_OPERATIONS.listUser, { query });
  }

  createUser(body: CreateUserRequest): Promise<{ user: UserView }> {
    return this.client.call(USER_OPERATIONS.createUser, { body });
  }

  getUser(UserUuid: string): Promise<{ user: UserView }> {
    return this.client.call(USER_OPERATIONS.getUser, { pathParams: { UserUuid } });
  }

  updateUser(UserUuid: string, body: UpdateUserRequest): Promise<{ user: 'ok' }> {
    return this.client.call(USER_OPERATIONS.updateUser, { pathParams: { UserUuid }, body });
  }

  deleteUser(UserUuid: string): Promise<1> {
    return this.client.call(USER_OPERATIONS.deleteUser, { pathParams: { UserUuid } });
  }

  getUserDefault(UserUuid: string): Promise<{ default: UserDefaultView }> {
    return this.client.call(USER_OPERATIONS.getUserDefault, { pathParams: { UserUuid } });
  }

  updateUserDefault(UserUuid: string, body: UpdateUserDefaultRequest): Promise<{ default: 'ok' }> {
    return this.client.call(USER_OPERATIONS.updateUserDefault, { pathParams: { UserUuid }, body });
  }
}
