import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { isApiError } from './api';
import { App } from './App';
import { endSession, resumeSession } from './session';
import './styles.css';

/** Any 401 means the token no longer works: drop it and show the login page. */
function onApiError(error: unknown): void {
  if (isApiError(error, 401)) endSession('Your session has ended. Please sign in again.');
}

const queries = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: {
      // A refused request will be refused again; the error is shown instead.
      retry: (count, error) => !isApiError(error) && count < 2,
      placeholderData: (previous: unknown) => previous,
      staleTime: 5_000,
    },
  },
});

void resumeSession();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
