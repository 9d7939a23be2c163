import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createQueryClient } from './api/queries.ts';
import { App } from './App.tsx';
// One stylesheet per area, all built on the tokens; this order is the cascade order.
import './styles/tokens.css';
import './styles/brief.css';
import './styles/panels.css';
import './styles/search.css';
import './styles/app.css';
import './styles/editor.css';
import './styles/comments.css';
import './styles/handoffs.css';
import './styles/settings.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

const queryClient = createQueryClient();

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
